// Key conditions, filters and projections for Query and Scan (BEHAVIOUR.md §1.10).

#include <bloop/conditions/attr.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/conditions/search_rules.hpp>

#include <gtest/gtest.h>

namespace search_app {

struct Thread {
    std::string forum;
    std::string subject;
    std::string author;
    std::int64_t replies = 0;
    std::string body;
    std::map<std::string, std::string> extra;
    bloop::ObjectState state{};  // so it may be read in part
};

struct Note {
    std::string id;
    std::string text;
};

}  // namespace search_app

template <>
struct bloop::Model<search_app::Thread> {
    using T = search_app::Thread;
    static constexpr Meta meta{};
    static constexpr auto columns = bloop::columns(
        column<&T::forum>().hash_key(), column<&T::subject>().range_key(), column<&T::author>(),
        column<&T::replies>(), column<&T::body>(), column<&T::extra>());
    static constexpr auto state = &T::state;
    static constexpr auto by_author = global_index("by_author")
                                          .hash_key<&T::author>()
                                          .range_key<&T::replies>()
                                          .projection(keys_only);
    static constexpr auto by_replies =
        local_index("by_replies").range_key<&T::replies>().projection(include<&T::body>);
    static constexpr auto by_replies_loose = local_index("by_replies_loose")
                                                 .range_key<&T::replies>()
                                                 .projection(keys_only)
                                                 .strict(false);
    static constexpr auto indexes = bloop::indexes(by_author, by_replies, by_replies_loose);
};

template <>
struct bloop::Model<search_app::Note> {
    static constexpr Meta meta{};
    static constexpr auto columns = bloop::columns(column<&search_app::Note::id>().hash_key(),
                                                   column<&search_app::Note::text>());
};

namespace bloop {
namespace {

using search_app::Note;
using search_app::Thread;

constexpr auto forum = attr<&Thread::forum>;
constexpr auto subject = attr<&Thread::subject>;
constexpr auto author = attr<&Thread::author>;
constexpr auto replies = attr<&Thread::replies>;
constexpr auto body = attr<&Thread::body>;

SearchTarget table() {
    return {&model_info<Thread>(), nullptr};
}
SearchTarget index(const char* name) {
    return {&model_info<Thread>(), model_info<Thread>().index(name)};
}

TEST(KeyConditions, ValidForms) {
    EXPECT_NO_THROW(check_key_condition(table(), (forum == "f").condition()));
    for (const auto& range :
         {subject == "s", subject<"s", subject <= "s", subject> "s", subject >= "s",
          subject.between("a", "m"), subject.begins_with("Re:")}) {
        EXPECT_NO_THROW(check_key_condition(table(), ((forum == "f") && range).condition()));
        EXPECT_NO_THROW(check_key_condition(table(), (range && (forum == "f")).condition()))
            << "either order";
    }
    EXPECT_NO_THROW(
        check_key_condition(index("by_author"), ((author == "a") && (replies > 3)).condition()));
    EXPECT_NO_THROW(
        check_key_condition(index("by_replies"), ((forum == "f") && (replies > 3)).condition()))
        << "an LSI's hash key is the table's";
}

TEST(KeyConditions, InvalidForms) {
    const std::string message = "Invalid key condition for a Query on <Model[Thread]>.";
    for (const auto& key :
         {subject == "s", forum != "f", forum.begins_with("f"), (forum == "f") || (subject == "s"),
          !(forum == "f"), (forum == "f") && (subject != "s"),
          (forum == "f") && subject.in("a", "b"), (forum == "f") && (author == "a"),
          (forum == "f") && (subject == "s") && (subject < "t"), forum == subject, forum == "",
          ConditionOf<Thread>()}) {
        try {
            check_key_condition(table(), key.condition());
            FAIL() << key.condition();
        } catch (const InvalidKeyCondition& e) {
            EXPECT_EQ(std::string(e.what()), message);
        }
    }
    EXPECT_THROW(check_key_condition(index("by_author"), (forum == "f").condition()),
                 InvalidKeyCondition);
    EXPECT_THROW(
        check_key_condition(index("by_author"), (attr<&Thread::extra>["k"] == "v").condition()),
        InvalidKeyCondition);
}

TEST(KeyConditions, MessageForATableWithoutRangeKey) {
    try {
        check_key_condition({&model_info<Note>(), nullptr}, (attr<&Note::text> == "x").condition());
        FAIL();
    } catch (const InvalidKeyCondition& e) {
        EXPECT_STREQ(e.what(),
                     "The key condition for a Query on <Model[Note]> must be `Note.id == value`.");
    }
    EXPECT_THROW(check_key_condition(table(), (attr<&Note::id> == "x").condition()),
                 InvalidKeyCondition)
        << "a column of another model";
}

TEST(Filters, OnlyAvailableColumns) {
    EXPECT_NO_THROW(check_filter(table(), (body.contains("x") && (replies > 1)).condition(), true));
    EXPECT_NO_THROW(check_filter(table(), (attr<&Thread::extra>["k"] == "v").condition(), true))
        << "document paths work (bloop 1.x raised TypeError)";
    try {
        check_filter(index("by_author"), (body == "x").condition(), false);
        FAIL();
    } catch (const InvalidFilterCondition& e) {
        EXPECT_STREQ(e.what(),
                     "'Thread.body' is not available in <GSI[Thread.by_author]>; a filter may only "
                     "use the columns "
                     "the target holds");
    }
    EXPECT_NO_THROW(check_filter(index("by_replies"), (body == "x").condition(), true))
        << "included";
    EXPECT_NO_THROW(check_filter(index("by_replies_loose"), (body == "x").condition(), true))
        << "not strict";
    EXPECT_THROW(check_filter(table(), (attr<&Note::text> == "x").condition(), false),
                 InvalidFilterCondition);
    EXPECT_THROW(check_filter(index("by_author"), (author == body).condition(), false),
                 InvalidFilterCondition)
        << "paths on the right-hand side are checked too";
}

TEST(Filters, QueriesCannotFilterOnTheirOwnKeys) {
    EXPECT_THROW(check_filter(table(), (forum == "f").condition(), true), InvalidFilterCondition);
    EXPECT_THROW(check_filter(table(), (subject == "s").condition(), true), InvalidFilterCondition);
    EXPECT_NO_THROW(check_filter(table(), (forum == "f").condition(), false)) << "scans may";
    EXPECT_NO_THROW(check_filter(index("by_author"), (forum == "f").condition(), true))
        << "a GSI query may filter on the table's keys";
    try {
        check_filter(index("by_author"), (replies > 2).condition(), true);
        FAIL();
    } catch (const InvalidFilterCondition& e) {
        EXPECT_STREQ(e.what(),
                     "'Thread.replies' is a key of <GSI[Thread.by_author]>: put it in the key "
                     "condition, not the filter");
    }
}

std::vector<std::string> names(const ResolvedProjection& p) {
    std::vector<std::string> out;
    for (const auto i : p.columns) out.push_back(model_info<Thread>().columns[i].name);
    return out;
}

TEST(Projections, AllCountAndColumns) {
    EXPECT_TRUE(resolve_projection(table(), {ProjectionSpec::Mode::count, {}}).count);
    EXPECT_EQ(names(resolve_projection(table(), {})).size(), 6u);
    EXPECT_EQ(names(resolve_projection(index("by_author"), {})),
              (std::vector<std::string>{"forum", "subject", "author", "replies"}));
    EXPECT_EQ(names(resolve_projection(index("by_replies_loose"), {})),
              (std::vector<std::string>{"forum", "subject", "replies"}))
        << "\"all\" means included, even for a non-strict LSI";
    EXPECT_EQ(names(resolve_projection(table(), {ProjectionSpec::Mode::columns, {"body"}})),
              (std::vector<std::string>{"forum", "subject", "body"}))
        << "table keys are always added";
    EXPECT_EQ(names(resolve_projection(index("by_replies_loose"),
                                       {ProjectionSpec::Mode::columns, {"extra"}})),
              (std::vector<std::string>{"forum", "subject", "extra"}));
}

TEST(Projections, AModelWithoutObjectStateIsReadWholeOrNotAtAll) {
    const SearchTarget notes{&model_info<Note>(), nullptr};
    EXPECT_EQ(resolve_projection(notes, {}).columns.size(), 2u);
    EXPECT_TRUE(resolve_projection(notes, {ProjectionSpec::Mode::count, {}}).count);
    EXPECT_EQ(resolve_projection(notes, {ProjectionSpec::Mode::columns, {"id", "text"}}).columns.size(),
              2u);
    try {
        (void)resolve_projection(notes, {ProjectionSpec::Mode::columns, {"id"}});
        FAIL();
    } catch (const InvalidProjection& e) {
        EXPECT_STREQ(e.what(),
                     "a search of <Model[Note]> would leave out text, but 'Note' has no "
                     "ObjectState, so saving such an object would remove them; read every column, "
                     "or give 'Note' a `bloop::ObjectState state{};` member to read part of them");
    }
}

TEST(Projections, Invalid) {
    try {
        (void)resolve_projection(table(), {ProjectionSpec::Mode::columns, {"nope"}});
        FAIL();
    } catch (const InvalidProjection& e) {
        EXPECT_STREQ(e.what(), "'nope' is not a column of <Model[Thread]>.");
    }
    try {
        (void)resolve_projection(index("by_author"), {ProjectionSpec::Mode::columns, {"body"}});
        FAIL();
    } catch (const InvalidProjection& e) {
        EXPECT_STREQ(e.what(), "'Thread.body' is not available in <GSI[Thread.by_author]>.");
    }
    EXPECT_THROW((void)resolve_projection(table(), {ProjectionSpec::Mode::columns, {}}),
                 InvalidProjection);
}

TEST(Targets, Describe) {
    EXPECT_EQ(table().describe(), "<Model[Thread]>");
    EXPECT_EQ(index("by_author").describe(), "<GSI[Thread.by_author]>");
    EXPECT_EQ(index("by_replies").describe(), "<LSI[Thread.by_replies]>");
}

}  // namespace
}  // namespace bloop
