// bloop::Future: an async engine call's future that, destroyed before its operation finished,
// waits for it (as std::async's do), so the object it writes into may go with it.

#include <bloop/engine/engine.hpp>

#include "scripted_engine.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace future_unit {
struct Note {
    std::string id;
    std::string text;
};
}  // namespace future_unit

template <>
struct bloop::Model<future_unit::Note> {
    static constexpr Meta meta{.table_name = "FutureNotes"};
    static constexpr auto hash_key = &future_unit::Note::id;
};

namespace {

using future_unit::Note;

TEST(Future, ADroppedFutureWaitsForItsOperation) {
    bloop::test::ScriptedEngine scripted;
    scripted.engine.bind<Note>({.skip_table_setup = true});
    std::atomic<bool> answered{false};
    scripted.transport->then([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // a slow answer
        answered = true;
        return bloop::HttpResponse{
            200, {}, R"({"Responses":{"FutureNotes":[{"id":{"S":"n1"},"text":{"S":"loaded"}}]}})"};
    });
    auto note = std::make_unique<Note>(Note{"n1", ""});
    { auto pending = scripted.engine.load_async(*note); }  // waits here
    EXPECT_TRUE(answered.load());
    EXPECT_EQ(note->text, "loaded");
    note.reset();  // nothing touches it any more
}

TEST(Future, AssigningOverAPendingFutureWaitsForItFirst) {
    bloop::test::ScriptedEngine scripted;
    scripted.engine.bind<Note>({.skip_table_setup = true});
    std::atomic<int> answers{0};
    for (int i = 0; i < 2; ++i) {
        scripted.transport->then([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            ++answers;
            return bloop::HttpResponse{200, {}, "{}"};
        });
    }
    Note a{"a", "x"}, b{"b", "y"};
    bloop::Future<void> pending = scripted.engine.save_async(a);
    pending = scripted.engine.save_async(b);  // a's save has finished by now
    EXPECT_GE(answers.load(), 1);
    pending.get();
    EXPECT_EQ(answers.load(), 2);
    EXPECT_FALSE(pending.valid());
}

}  // namespace
