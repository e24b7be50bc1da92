#include <bloop/types/datetime.hpp>
#include <bloop/exceptions.hpp>

namespace bloop {
namespace {

void put(std::string& out, long long value, int width) {
    char buf[24];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(buf, static_cast<std::size_t>(width));
}

// Reads `width` digits at `text[pos]`; -1 when any is not a digit.
long long digits(std::string_view text, std::size_t pos, std::size_t width) {
    long long v = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        v = v * 10 + (text[i] - '0');
    }
    return v;
}

}  // namespace

std::string format_datetime(DateTime t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd(day);
    const auto y = static_cast<int>(ymd.year());
    if (y < 1 || y > 9999) {
        throw InvalidValue("date-time in year " + std::to_string(y) +
                           " cannot be stored (bloop's layout holds years 1-9999)");
    }
    const hh_mm_ss<microseconds> clock(t - day);
    std::string out;
    out.reserve(32);
    put(out, y, 4);
    out.push_back('-');
    put(out, static_cast<unsigned>(ymd.month()), 2);
    out.push_back('-');
    put(out, static_cast<unsigned>(ymd.day()), 2);
    out.push_back('T');
    put(out, clock.hours().count(), 2);
    out.push_back(':');
    put(out, clock.minutes().count(), 2);
    out.push_back(':');
    put(out, clock.seconds().count(), 2);
    out.push_back('.');
    put(out, clock.subseconds().count(), 6);
    out += "+00:00";
    return out;
}

DateTime parse_datetime(std::string_view text) {
    using namespace std::chrono;
    const auto bad = [&] {
        return InvalidValue(
            "\"" + std::string(text.substr(0, 60)) +
            "\" is not a bloop DateTime (expected YYYY-MM-DDTHH:MM:SS.ffffff+00:00)");
    };
    // 0123456789012345678901234567890
    // YYYY-MM-DDTHH:MM:SS.ffffff+00:00
    if (text.size() != 32 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':' || text[19] != '.' || text.substr(26) != "+00:00") {
        throw bad();
    }
    const long long y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
    const long long h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
    const long long us = digits(text, 20, 6);
    if (y < 1 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 ||
        us < 0) {
        throw bad();
    }
    const year_month_day ymd{year(static_cast<int>(y)), month(static_cast<unsigned>(mo)),
                             day(static_cast<unsigned>(d))};
    if (!ymd.ok()) throw bad();
    return sys_days(ymd) + hours(h) + minutes(mi) + seconds(s) + microseconds(us);
}

}  // namespace bloop
