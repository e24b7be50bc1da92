#include "engine/search_token.hpp"

#include <bloop/exceptions.hpp>

#include "json/reader.hpp"
#include "wire/writing.hpp"

namespace bloop::detail {

std::string make_search_token(const std::string& target, const Item* after) {
    std::string out = "{";
    wire::put_string(out, "target", target);
    if (after != nullptr) wire::put_item(out, "after", *after);  // none yet: from the start
    out.push_back('}');
    return out;  // a position only: the resuming search's options apply
}

std::optional<Item> parse_search_token(const std::string& text, const std::string& target) {
    std::optional<std::string> token_target;
    std::optional<Item> after;
    try {
        json::detail::Reader r(text);
        if (r.peek() != json::Type::object) throw InvalidJson("not a JSON object");
        r.object([&](std::string_view name) {
            if (name == "target" && r.peek() == json::Type::string) {
                token_target = r.string();
            } else if (name == "after") {
                after = r.item();
            } else {
                r.skip();
            }
        });
        r.end();
    } catch (const InvalidJson& e) {
        throw InvalidArgument(std::string("not a search token: ") + e.what());
    }
    if (token_target != target) {
        throw InvalidArgument("the token belongs to another search (this one reads " + target +
                              ")");
    }
    return after;
}

}  // namespace bloop::detail
