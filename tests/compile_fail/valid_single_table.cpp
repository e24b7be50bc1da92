// Must compile: the single-table vocabulary used as documented (docs/single-table.md).
#include <bloop/engine/engine.hpp>

#include "single_table_models.hpp"

template <>
struct bloop::Model<Org> {
    using table = App;
    static constexpr Entity entity{.name = "Organization", .version = 2};
    static constexpr auto keys =
        bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "SEQ#{seq:08}#{name}">);
};

void use(bloop::Engine& e) {
    e.bind<Org, User>();
    auto org = bloop::attr<&Org::org> == "acme";
    (void)e.query<Org>(org && bloop::attr<&Org::seq>.between(1, 9));
    (void)e.query<Org>(org && bloop::attr<&Org::seq> == 1 &&
                       bloop::attr<&Org::name>.begins_with("a"));
    auto all = e.query<Org, User>(bloop::attr<&User::org> == "acme");
    for (const std::variant<Org, User>& item : all) (void)item;
    (void)all.collect().of<User>();
    auto stream = e.stream<Org, User>(bloop::trim_horizon);
    (void)stream.next();
    const auto& ix = bloop::Model<Sale>::by_region;
    (void)e.query(ix, bloop::index_key(ix)
                          .equal<&Sale::tenant>("a")
                          .equal<&Sale::region>("b")
                          .equal<&Sale::day>("c")
                          .between<&Sale::seq>(1, 2));
}
