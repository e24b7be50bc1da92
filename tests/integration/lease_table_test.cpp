// Every lease transition against DynamoDB Local, read back past the library: created, taken,
// renewed, asked for, checkpointed, released, finished (SHARD_END) and deleted — each write
// whole, an empty owner (or next_owner, or parents) absent from the stored item.

#include "processor_fixture.hpp"

#include <gtest/gtest.h>

namespace {

using bloop::AttributeValue;
using bloop::StreamLease;
using bloop::test::ProcessorFixture;

std::string text(const bloop::Item& item, const std::string& name) {
    const auto found = item.find(name);
    return found == item.end() ? "<absent>" : found->second.as_string();
}

std::string number(const bloop::Item& item, const std::string& name) {
    const auto found = item.find(name);
    return found == item.end() ? "<absent>" : found->second.as_number();
}

TEST(LeaseTable, EveryTransitionIsStoredWholeAndEmptyAttributesAreRemoved) {
    ProcessorFixture f("lease-transitions");
    StreamLease lease{f.consumer, f.key("s2"), {}, {}, "TRIM_HORIZON", {"s1"}, 0};

    // Created: no owner.
    ASSERT_TRUE(f.own_leases->write(lease).written);
    EXPECT_EQ(lease.counter, 1);
    auto item = f.stored("s2");
    ASSERT_TRUE(item);
    EXPECT_EQ(text(*item, "checkpoint"), "TRIM_HORIZON");
    EXPECT_EQ(number(*item, "counter"), "1");
    EXPECT_EQ(text(*item, "owner"), "<absent>");
    EXPECT_EQ(text(*item, "next_owner"), "<absent>");
    ASSERT_EQ(item->at("parents").type(), bloop::AttributeType::L);
    EXPECT_EQ(item->at("parents").as_list().at(0).as_string(), "s1");

    // A second create is refused and says what is stored.
    StreamLease again{f.consumer, f.key("s2"), "w9", {}, "LATEST", {}, 0};
    auto conflict = f.own_leases->write(again);
    EXPECT_FALSE(conflict.written);
    ASSERT_TRUE(conflict.stored);
    EXPECT_EQ(conflict.stored->counter, 1);
    EXPECT_EQ(conflict.stored->checkpoint, "TRIM_HORIZON");

    // Taken.
    lease.owner = "w1";
    ASSERT_TRUE(f.own_leases->write(lease).written);
    item = f.stored("s2");
    EXPECT_EQ(text(*item, "owner"), "w1");
    EXPECT_EQ(number(*item, "counter"), "2");

    // Renewed: the counter alone moves.
    ASSERT_TRUE(f.own_leases->write(lease).written);
    EXPECT_EQ(number(*f.stored("s2"), "counter"), "3");

    // Asked for by w2: the owner stays.
    StreamLease asked = lease;
    asked.next_owner = "w2";
    ASSERT_TRUE(f.own_leases->write(asked).written);
    item = f.stored("s2");
    EXPECT_EQ(text(*item, "owner"), "w1");
    EXPECT_EQ(text(*item, "next_owner"), "w2");

    // The owner's checkpoint at its old counter is refused, showing the request.
    StreamLease checkpointed = lease;
    checkpointed.checkpoint = "100";
    conflict = f.own_leases->write(checkpointed);
    EXPECT_FALSE(conflict.written);
    ASSERT_TRUE(conflict.stored);
    EXPECT_EQ(conflict.stored->owner, "w1");
    EXPECT_EQ(conflict.stored->next_owner, "w2");
    EXPECT_EQ(conflict.stored->counter, 4);

    // Checkpointed and released on top of it: owner and next_owner leave the item.
    StreamLease released = *conflict.stored;
    released.checkpoint = "100";
    released.owner.clear();
    released.next_owner.clear();
    ASSERT_TRUE(f.own_leases->write(released).written);
    item = f.stored("s2");
    EXPECT_EQ(text(*item, "checkpoint"), "100");
    EXPECT_EQ(text(*item, "owner"), "<absent>");
    EXPECT_EQ(text(*item, "next_owner"), "<absent>");
    EXPECT_EQ(number(*item, "counter"), "5");
    EXPECT_EQ(f.lease("s2").owner, "");

    // Finished.
    released.owner = "w2";
    ASSERT_TRUE(f.own_leases->write(released).written);
    released.owner.clear();
    released.checkpoint = "SHARD_END";
    ASSERT_TRUE(f.own_leases->write(released).written);
    item = f.stored("s2");
    EXPECT_EQ(text(*item, "checkpoint"), "SHARD_END");
    EXPECT_EQ(text(*item, "owner"), "<absent>");

    // Deleted only at its counter.
    StreamLease stale = released;
    stale.counter -= 1;
    EXPECT_FALSE(f.own_leases->remove(stale));
    EXPECT_TRUE(f.stored("s2"));
    EXPECT_TRUE(f.own_leases->remove(released));
    EXPECT_FALSE(f.stored("s2"));
    EXPECT_TRUE(f.own_leases->remove(released));  // gone either way
}

TEST(LeaseTable, ListsEveryLeaseOfOneConsumerOnly) {
    ProcessorFixture f("lease-listing");
    ProcessorFixture other("lease-listing-other");
    for (int i = 0; i < 30; ++i) {
        StreamLease l{f.consumer, f.key("shard-" + std::to_string(i)), {}, {}, "LATEST", {}, 0};
        ASSERT_TRUE(f.own_leases->write(l).written);
    }
    StreamLease foreign{other.consumer, other.key("x"), "w", {}, "LATEST", {}, 0};
    ASSERT_TRUE(other.own_leases->write(foreign).written);
    const auto listed = f.own_leases->list(f.consumer);
    EXPECT_EQ(listed.size(), 30u);
    for (const auto& l : listed) EXPECT_EQ(l.consumer, f.consumer);
}

}  // namespace
