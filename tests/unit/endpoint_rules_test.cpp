// AWS's endpoint rule sets, evaluated: every official test case of DynamoDB's (548) and DynamoDB
// Streams' (26) read from ../shared/spec/aws-api (skipped, naming the folder, without it), and the
// copy embedded in the library equal to those files.

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "client/endpoints/rules.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

namespace bloop {
namespace {

using json::Value;

std::optional<Value> shared_file(const std::string& name) {
    std::ifstream in(std::filesystem::path(BLOOP_AWS_API_DIR) / name);
    if (!in) return std::nullopt;
    return json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

// Objects with their members sorted, so documents compare whatever their member order.
Value canonical(const Value& v) {
    if (v.is_array()) {
        Value out = Value::array();
        for (const auto& e : v.as_array()) out.push_back(canonical(e));
        return out;
    }
    if (!v.is_object()) return v;
    auto members = v.as_object();
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [key, member] : members) member = canonical(member);
    return Value(std::move(members));
}

void run_cases(const char* rules_file, const char* tests_file, const Value& embedded,
               std::size_t expected_cases) {
    const auto tests = shared_file(tests_file);
    const auto rules = shared_file(rules_file);
    const auto partitions = shared_file("partitions.json");
    if (!tests || !rules || !partitions)
        GTEST_SKIP() << "no AWS API models at " << BLOOP_AWS_API_DIR;
    EXPECT_EQ(canonical(embedded), canonical(*rules))
        << "the embedded rule set differs from " << rules_file
        << ": run scripts/generate-endpoint-rules";
    EXPECT_EQ(canonical(detail::aws_partitions()), canonical(*partitions))
        << "the embedded partitions differ: run scripts/generate-endpoint-rules";
    const auto& cases = tests->at("testCases").as_array();
    EXPECT_EQ(cases.size(), expected_cases);
    int passed = 0;
    for (const Value& c : cases) {
        const Value* given = c.find("params");
        const Value params = given != nullptr ? *given : Value::object();
        const Value& expect = c.at("expect");
        const std::string name = c.at("documentation").as_string();
        if (const Value* error = expect.find("error")) {
            try {
                (void)detail::evaluate_rule_set(embedded, detail::aws_partitions(), params);
                ADD_FAILURE() << name << ": no error, expected " << error->as_string();
            } catch (const InvalidEndpoint& e) {
                EXPECT_EQ(e.what(), error->as_string()) << name;
                ++passed;
            }
            continue;
        }
        const Value& endpoint = expect.at("endpoint");
        try {
            const detail::RuleEndpoint got =
                detail::evaluate_rule_set(embedded, detail::aws_partitions(), params);
            EXPECT_EQ(got.url, endpoint.at("url").as_string()) << name;
            const Value* properties = endpoint.find("properties");
            EXPECT_EQ(canonical(got.properties),
                      canonical(properties != nullptr ? *properties : Value::object()))
                << name;
            const Value* headers = endpoint.find("headers");
            EXPECT_EQ(canonical(got.headers),
                      canonical(headers != nullptr ? *headers : Value::object()))
                << name;
            passed += got.url == endpoint.at("url").as_string();
        } catch (const InvalidEndpoint& e) {
            ADD_FAILURE() << name << ": " << e.what();
        }
    }
    EXPECT_EQ(passed, static_cast<int>(cases.size()));
}

TEST(EndpointRules, EveryOfficialDynamoDbCasePasses) {
    run_cases("dynamodb_2012-08-10_endpoint-rule-set-1.json",
              "dynamodb_2012-08-10_endpoint-tests-1.json", detail::dynamodb_rule_set(), 548);
}

TEST(EndpointRules, EveryOfficialStreamsCasePasses) {
    run_cases("dynamodbstreams_2012-08-10_endpoint-rule-set-1.json",
              "dynamodbstreams_2012-08-10_endpoint-tests-1.json", detail::streams_rule_set(), 26);
}

}  // namespace
}  // namespace bloop
