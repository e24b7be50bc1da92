// An abstract model (Meta::abstract) has no table: every engine call on it is refused with bloop's
// InvalidModel("'X' is abstract."), before anything else is checked or sent.

#include <bloop/engine/engine.hpp>
#include <bloop/engine/transaction.hpp>
#include <bloop/exceptions.hpp>

#include "scripted_engine.hpp"

#include <gtest/gtest.h>

namespace abstract_unit {
struct Shape {  // no table of its own
    std::string id;
    std::string colour;
};
}  // namespace abstract_unit

template <>
struct bloop::Model<abstract_unit::Shape> {
    static constexpr Meta meta{.abstract = true};
    static constexpr auto columns = bloop::columns(column<&abstract_unit::Shape::id>().hash_key(),
                                                   column<&abstract_unit::Shape::colour>());
};

namespace {

using abstract_unit::Shape;

template <class Call>
void expect_abstract(Call call) {
    try {
        call();
        FAIL() << "not refused";
    } catch (const bloop::InvalidModel& e) {
        EXPECT_STREQ(e.what(), "'Shape' is abstract.");
    }
}

TEST(AbstractModel, EveryCallIsInvalidModelBeforeAnythingIsSent) {
    bloop::test::ScriptedEngine scripted;
    bloop::Engine& engine = scripted.engine;
    Shape shape{"s1", "red"};
    expect_abstract([&] { engine.save(shape); });
    expect_abstract([&] { engine.remove(shape); });
    expect_abstract([&] { engine.load(shape); });
    expect_abstract([&] { (void)engine.scan<Shape>(); });
    expect_abstract([&] {
        bloop::WriteTransaction tx(engine);
        tx.save(shape);
        tx.commit();
    });
    EXPECT_TRUE(scripted.transport->requests().empty());
}

}  // namespace
