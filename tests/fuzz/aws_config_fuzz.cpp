// The shared config and credentials files (INI).

#include "client/aws_files.hpp"

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    const std::string_view text = as_text(data, size);
    for (const char* section : {"default", "profile dev"}) {
        if (const auto found = bloop::detail::parse_ini_section(text, section)) {
            for (const auto& [key, value] : *found) {
                BLOOP_FUZZ_CHECK(key.find('\n') == std::string::npos);
                BLOOP_FUZZ_CHECK(value.find('\n') == std::string::npos);
            }
        }
    }
    return 0;
}
