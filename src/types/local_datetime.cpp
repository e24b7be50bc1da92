#include <bloop/exceptions.hpp>
#include <bloop/types/local_datetime.hpp>

namespace bloop {

const date::time_zone* find_time_zone(std::string_view name) {
    try {
        return date::locate_zone(name);
    } catch (const std::runtime_error&) {
        throw InvalidValue("unknown time zone \"" + std::string(name) +
                           "\" (not in the tz database)");
    }
}

}  // namespace bloop
