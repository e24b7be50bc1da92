#include "engine/search_token.hpp"

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

namespace bloop::detail {

std::string make_search_token(const std::string& target, const Item* after) {
    json::Value token;
    token["target"] = target;
    if (after != nullptr)
        token["after"] = json::to_json(*after);  // none yet: resume from the start
    return json::to_string(token);  // a position only: the resuming search's options apply
}

std::optional<Item> parse_search_token(const std::string& text, const std::string& target) {
    json::Value token;
    std::optional<Item> after;
    try {
        token = json::parse(text);
        if (!token.is_object()) throw InvalidJson("not a JSON object");
        if (const json::Value* a = token.find("after")) after = json::to_item(*a);
    } catch (const InvalidJson& e) {
        throw InvalidArgument(std::string("not a search token: ") + e.what());
    }
    const json::Value* t = token.find("target");
    if (t == nullptr || !t->is_string() || t->as_string() != target) {
        throw InvalidArgument("the token belongs to another search (this one reads " + target +
                              ")");
    }
    return after;
}

}  // namespace bloop::detail
