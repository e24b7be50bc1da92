// The AWS SigV4 test suite (../shared/testdata/aws4_testsuite, or the CMake cache variable
// BLOOP_AWS4_TESTSUITE_DIR): every case must produce the expected canonical request, string to sign
// and Authorization header. Without the suite, SuiteIsPresent is skipped naming where it looked,
// and the other tests run.

#include <bloop/client/sigv4.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace bloop {
namespace {

namespace fs = std::filesystem;

fs::path suite() {
    return BLOOP_AWS4_TESTSUITE_DIR;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Parses a .req file: request line, headers (continuation lines start with white space), a blank
// line, then the body.
HttpRequest parse_req(const std::string& text) {
    HttpRequest r;
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.rfind(' ');
    r.method = line.substr(0, sp1);
    const std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string::npos ? "" : target.substr(q + 1);
    while (std::getline(in, line) && !line.empty()) {
        if ((line[0] == ' ' || line[0] == '\t') && !r.headers.empty()) {
            r.headers.back().second += "\n" + line;
            continue;
        }
        const auto colon = line.find(':');
        r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
    std::stringstream body;
    body << in.rdbuf();
    r.body = body.str();
    return r;
}

std::vector<fs::path> cases() {
    std::vector<fs::path> out;
    std::error_code absent;
    if (!fs::is_directory(suite(), absent)) return out;
    for (const auto& e : fs::recursive_directory_iterator(suite())) {
        if (e.path().extension() == ".req") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The client always signs the session token; this case adds it after signing instead.
const std::set<std::string> kNotApplicable = {"post-sts-header-after"};

class SigV4Suite : public ::testing::TestWithParam<fs::path> {};

TEST_P(SigV4Suite, MatchesExpectedSignature) {
    const fs::path req = GetParam();
    const std::string name = req.stem().string();
    if (kNotApplicable.count(name) != 0) GTEST_SKIP() << "not applicable to this client";
    const fs::path base = req.parent_path() / name;
    HttpRequest request = parse_req(slurp(req));
    const std::string creq = slurp(fs::path(base).replace_extension(".creq"));
    Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}};
    // Cases signed with temporary credentials name the token only in the expected request.
    const std::string token_line = "\nx-amz-security-token:";
    if (const auto at = creq.find(token_line); at != std::string::npos) {
        const auto start = at + token_line.size();
        creds.session_token = creq.substr(start, creq.find('\n', start) - start);
    }
    const auto when = std::chrono::sys_days(std::chrono::year(2015) / 8 / 30) +
                      std::chrono::hours(12) + std::chrono::minutes(36);
    const SigV4Parts parts = SigV4Signer("us-east-1", "service").sign(request, creds, when);
    EXPECT_EQ(parts.canonical_request, creq);
    EXPECT_EQ(parts.string_to_sign, slurp(fs::path(base).replace_extension(".sts")));
    EXPECT_EQ(parts.authorization, slurp(fs::path(base).replace_extension(".authz")));
}

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SigV4Suite);
INSTANTIATE_TEST_SUITE_P(SigV4, SigV4Suite, ::testing::ValuesIn(cases()),
                         [](const auto& param_info) {
                             std::string n = param_info.param.stem().string();
                             for (auto& c : n) {
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             }
                             return n;
                         });

TEST(SigV4, SuiteIsPresent) {
    if (!fs::is_directory(suite()))
        GTEST_SKIP() << "the AWS SigV4 test suite is not at " << suite();
    EXPECT_GE(cases().size(), 30u);
}

TEST(SigV4, SignAddsDateTokenAndAuthorization) {
    HttpRequest r;
    r.path = "/";
    r.headers = {{"Host", "dynamodb.us-east-1.amazonaws.com"},
                 {"Content-Type", "application/x-amz-json-1.0"},
                 {"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
    r.body = "{}";
    const Credentials creds{"AKID", "SECRET", "TOKEN"};
    const auto when = std::chrono::sys_days(std::chrono::year(2015) / 8 / 30) +
                      std::chrono::hours(12) + std::chrono::minutes(36);
    HttpRequest again = r;
    const SigV4Parts parts = SigV4Signer("us-east-1", "dynamodb").sign(r, creds, when);
    EXPECT_EQ(find_header(r.headers, "X-Amz-Date"), "20150830T123600Z");
    EXPECT_EQ(find_header(r.headers, "X-Amz-Security-Token"), "TOKEN");
    EXPECT_EQ(find_header(r.headers, "Authorization"), parts.authorization);
    EXPECT_EQ(parts.signed_headers,
              "content-type;host;x-amz-date;x-amz-security-token;x-amz-target");
    EXPECT_EQ(parts.authorization.rfind(
                  "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/dynamodb/aws4_request, ", 0),
              0u);
    EXPECT_EQ(parts.signature.size(), 64u);
    // Same input, same signature.
    EXPECT_EQ(SigV4Signer("us-east-1", "dynamodb").sign(again, creds, when).signature,
              parts.signature);
    EXPECT_EQ(again.headers, r.headers);
}

TEST(SigV4, AmzDateFormatsUtc) {
    EXPECT_EQ(amz_date(std::chrono::system_clock::time_point{}), "19700101T000000Z");
}

}  // namespace
}  // namespace bloop
