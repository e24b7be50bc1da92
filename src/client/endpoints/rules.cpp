// The endpoint rules engine: AWS's rule sets are data; this evaluates them as the AWS SDKs do.

#include "client/endpoints/rules.hpp"

#include <bloop/exceptions.hpp>

#include "client/endpoints/rule_data.hpp"
#include "util/ascii.hpp"

#include <map>
#include <mutex>
#include <regex>
#include <vector>

namespace bloop::detail {
namespace {

using json::Value;

using Scope = std::map<std::string, Value, std::less<>>;

class Evaluator {
  public:
    explicit Evaluator(const Value& partitions) : partitions_(partitions) {}

    // The first rule of `rules` whose conditions hold, applied; false when none does.
    bool rules(const Value& rules, const Scope& scope, RuleEndpoint& out) {
        for (const Value& rule : rules.as_array()) {
            Scope inner = scope;
            if (!conditions(rule, inner)) continue;
            const std::string& type = rule.at("type").as_string();
            if (type == "endpoint") {
                endpoint(rule.at("endpoint"), inner, out);
                return true;
            }
            if (type == "error") throw InvalidEndpoint(text(rule.at("error"), inner));
            if (type == "tree") {
                if (this->rules(rule.at("rules"), inner, out)) return true;
                throw InvalidEndpoint("no endpoint rule matched within a rule tree");
            }
            throw InvalidEndpoint("unknown rule type \"" + type + "\"");
        }
        return false;
    }

  private:
    bool conditions(const Value& rule, Scope& scope) {
        const Value* list = rule.find("conditions");
        if (list == nullptr) return true;
        for (const Value& condition : list->as_array()) {
            Value result = evaluate(condition, scope);
            if (result.is_null() || (result.type() == json::Type::boolean && !result.as_bool()))
                return false;
            if (const Value* assign = condition.find("assign"))
                scope[assign->as_string()] = std::move(result);
        }
        return true;
    }

    void endpoint(const Value& e, const Scope& scope, RuleEndpoint& out) {
        out.url = text(e.at("url"), scope);
        if (const Value* properties = e.find("properties"))
            out.properties = resolve(*properties, scope);
        if (const Value* headers = e.find("headers")) out.headers = resolve(*headers, scope);
    }

    // Properties and headers: templates resolved all the way down.
    Value resolve(const Value& v, const Scope& scope) {
        switch (v.type()) {
            case json::Type::string: return text(v, scope);
            case json::Type::array: {
                Value out = Value::array();
                for (const Value& e : v.as_array()) out.push_back(resolve(e, scope));
                return out;
            }
            case json::Type::object: {
                if (v.find("ref") != nullptr || v.find("fn") != nullptr) return evaluate(v, scope);
                Value out = Value::object();
                for (const auto& [key, member] : v.as_object()) out[key] = resolve(member, scope);
                return out;
            }
            default: return v;
        }
    }

    std::string text(const Value& v, const Scope& scope) {
        if (v.is_string()) return interpolate(v.as_string(), scope);
        Value result = evaluate(v, scope);
        return result.is_string() ? result.as_string() : json::to_string(result);
    }

    // "https://dynamodb.{Region}.{PartitionResult#dnsSuffix}" ("{{" and "}}" stand for braces).
    std::string interpolate(const std::string& t, const Scope& scope) {
        std::string out;
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (t[i] == '{' && i + 1 < t.size() && t[i + 1] == '{') {
                out += '{';
                ++i;
            } else if (t[i] == '}' && i + 1 < t.size() && t[i + 1] == '}') {
                out += '}';
                ++i;
            } else if (t[i] == '{') {
                const auto end = t.find('}', i);
                if (end == std::string::npos) throw InvalidEndpoint("unclosed template in " + t);
                const std::string name = t.substr(i + 1, end - i - 1);
                const auto hash = name.find('#');
                Value value = lookup(scope, name.substr(0, hash));
                if (hash != std::string::npos) value = attribute(value, name.substr(hash + 1));
                if (!value.is_string()) throw InvalidEndpoint("template {" + name + "} is unset");
                out += value.as_string();
                i = end;
            } else {
                out += t[i];
            }
        }
        return out;
    }

    static Value lookup(const Scope& scope, std::string_view name) {
        const auto found = scope.find(name);
        return found == scope.end() ? Value() : found->second;
    }

    Value evaluate(const Value& e, const Scope& scope) {
        switch (e.type()) {
            case json::Type::string: return interpolate(e.as_string(), scope);
            case json::Type::boolean:
            case json::Type::number:
            case json::Type::null: return e;
            case json::Type::array: {
                Value out = Value::array();
                for (const Value& v : e.as_array()) out.push_back(evaluate(v, scope));
                return out;
            }
            default: break;
        }
        if (const Value* ref = e.find("ref")) return lookup(scope, ref->as_string());
        const std::string& fn = e.at("fn").as_string();
        std::vector<Value> argv;
        for (const Value& a : e.at("argv").as_array()) argv.push_back(evaluate(a, scope));
        return call(fn, argv);
    }

    Value call(const std::string& fn, const std::vector<Value>& a) {
        const auto arg = [&](std::size_t i) -> const Value& {
            if (i >= a.size()) throw InvalidEndpoint(fn + ": missing argument");
            return a[i];
        };
        if (fn == "isSet") return !arg(0).is_null();
        if (fn == "not") return !truthy(arg(0));
        if (fn == "booleanEquals" || fn == "stringEquals") {
            if (arg(0).is_null() || arg(1).is_null()) return false;
            return arg(0) == arg(1);
        }
        if (fn == "getAttr") return attribute(arg(0), arg(1).as_string());
        if (fn == "isValidHostLabel")
            return arg(0).is_string() && valid_host_label(arg(0).as_string(), truthy(arg(1)));
        if (fn == "parseURL") return arg(0).is_string() ? parse_url(arg(0).as_string()) : Value();
        if (fn == "aws.partition")
            return arg(0).is_string() ? partition(arg(0).as_string()) : Value();
        if (fn == "aws.parseArn")
            return arg(0).is_string() ? parse_arn(arg(0).as_string()) : Value();
        throw InvalidEndpoint("the endpoint rules call an unknown function " + fn);
    }

    static bool truthy(const Value& v) {
        if (v.is_null()) return false;
        if (v.type() == json::Type::boolean) return v.as_bool();
        return true;
    }

    // "name", "list[0]", "a.b[1]": members and indices; null where anything is missing.
    static Value attribute(const Value& root, const std::string& path) {
        const Value* at = &root;
        std::size_t i = 0;
        while (i < path.size() && at != nullptr) {
            if (path[i] == '.') {
                ++i;
                continue;
            }
            if (path[i] == '[') {
                const auto end = path.find(']', i);
                const std::size_t index = std::stoul(path.substr(i + 1, end - i - 1));
                at = at->is_array() && index < at->as_array().size() ? &at->as_array()[index]
                                                                     : nullptr;
                i = end + 1;
                continue;
            }
            const auto end = path.find_first_of(".[", i);
            const std::string key = path.substr(i, end - i);
            at = at->is_object() ? at->find(key) : nullptr;
            i = end == std::string::npos ? path.size() : end;
        }
        return at == nullptr ? Value() : *at;
    }

    static bool valid_host_label(const std::string& s, bool allow_subdomains) {
        if (allow_subdomains) {
            std::size_t start = 0;
            while (true) {
                const auto dot = s.find('.', start);
                if (!valid_host_label(s.substr(start, dot - start), false)) return false;
                if (dot == std::string::npos) return true;
                start = dot + 1;
            }
        }
        if (s.empty() || s.size() > 63 || !is_ascii_alnum(s[0])) return false;
        for (const char c : s)
            if (!is_ascii_alnum(c) && c != '-') return false;
        return true;
    }

    static bool is_ipv4(const std::string& host) {
        int parts = 0;
        std::size_t start = 0;
        while (true) {
            const auto dot = host.find('.', start);
            const std::string part = host.substr(start, dot - start);
            if (part.empty() || part.size() > 3) return false;
            for (const char c : part)
                if (c < '0' || c > '9') return false;
            if (std::stoi(part) > 255) return false;
            ++parts;
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        return parts == 4;
    }

    // {scheme, authority, path, normalizedPath, isIp}; null for anything but an http(s) URL
    // without a query.
    static Value parse_url(const std::string& url) {
        const auto colon = url.find("://");
        if (colon == std::string::npos) return {};
        const std::string scheme = url.substr(0, colon);
        if (scheme != "http" && scheme != "https") return {};
        const std::string rest = url.substr(colon + 3);
        if (rest.find('?') != std::string::npos || rest.find('#') != std::string::npos) return {};
        const auto slash = rest.find('/');
        const std::string authority = rest.substr(0, slash);
        if (authority.empty()) return {};
        const std::string path = slash == std::string::npos ? "" : rest.substr(slash);
        std::string host = authority;
        bool ip = false;
        if (host.front() == '[') {
            ip = true;  // an IPv6 literal
        } else {
            host = host.substr(
                0, host.rfind(':') == std::string::npos ? host.size() : host.rfind(':'));
            ip = is_ipv4(host);
        }
        std::string normalized = path.empty() || path.front() != '/' ? "/" + path : path;
        if (normalized.back() != '/') normalized += '/';
        Value out = Value::object();
        out["scheme"] = scheme;
        out["authority"] = authority;
        out["path"] = path;
        out["normalizedPath"] = normalized;
        out["isIp"] = ip;
        return out;
    }

    // The partition of `region`: the one listing it, else the first whose region pattern it
    // matches, else "aws"; its outputs with the region's own overrides.
    Value partition(const std::string& region) {
        const Value* chosen = nullptr;
        const Value* overrides = nullptr;
        for (const Value& p : partitions_.at("partitions").as_array()) {
            if (const Value* regions = p.find("regions")) {
                if (const Value* r = regions->find(region)) {
                    chosen = &p;
                    overrides = r;
                    break;
                }
            }
        }
        if (chosen == nullptr) {
            for (const Value& p : partitions_.at("partitions").as_array()) {
                if (std::regex_match(region, std::regex(p.at("regionRegex").as_string()))) {
                    chosen = &p;
                    break;
                }
            }
        }
        if (chosen == nullptr) {
            for (const Value& p : partitions_.at("partitions").as_array())
                if (p.at("id").as_string() == "aws") chosen = &p;
        }
        if (chosen == nullptr) return {};
        Value out = chosen->at("outputs");
        if (overrides != nullptr) {
            for (const auto& [key, value] : overrides->as_object())
                if (key != "description") out[key] = value;
        }
        return out;
    }

    // "arn:partition:service:region:account:resource" -> its parts, the resource split on ':'
    // and '/'; null when it is not an ARN.
    static Value parse_arn(const std::string& arn) {
        std::vector<std::string> parts;
        std::size_t start = 0;
        for (int i = 0; i < 5; ++i) {
            const auto colon = arn.find(':', start);
            if (colon == std::string::npos) return {};
            parts.push_back(arn.substr(start, colon - start));
            start = colon + 1;
        }
        const std::string resource = arn.substr(start);
        if (parts[0] != "arn" || parts[1].empty() || parts[2].empty() || resource.empty())
            return {};
        Value ids = Value::array();
        std::size_t from = 0;
        while (true) {
            const auto cut = resource.find_first_of(":/", from);
            ids.push_back(resource.substr(from, cut - from));
            if (cut == std::string::npos) break;
            from = cut + 1;
        }
        Value out = Value::object();
        out["partition"] = parts[1];
        out["service"] = parts[2];
        out["region"] = parts[3];
        out["accountId"] = parts[4];
        out["resourceId"] = std::move(ids);
        return out;
    }

    const Value& partitions_;
};

const Value& parsed(std::string (*text)()) {
    // One per document; parsed on first use, kept for the process.
    static std::map<std::string (*)(), Value> cache;
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    auto found = cache.find(text);
    if (found == cache.end()) found = cache.emplace(text, json::parse(text())).first;
    return found->second;
}

}  // namespace

RuleEndpoint evaluate_rule_set(const json::Value& rule_set, const json::Value& partitions,
                               const json::Value& parameters) {
    Scope scope;
    for (const auto& [name, spec] : rule_set.at("parameters").as_object()) {
        const Value* given = parameters.find(name);
        if (given != nullptr && !given->is_null()) {
            scope[name] = *given;
        } else if (const Value* fallback = spec.find("default")) {
            scope[name] = *fallback;
        } else if (const Value* required = spec.find("required");
                   required != nullptr && required->as_bool()) {
            throw InvalidEndpoint("the endpoint parameter " + name + " is required");
        }
    }
    RuleEndpoint out;
    if (!Evaluator(partitions).rules(rule_set.at("rules"), scope, out))
        throw InvalidEndpoint("no endpoint rule matched");
    return out;
}

const json::Value& dynamodb_rule_set() {
    return parsed(&dynamodb_rule_set_json);
}

const json::Value& streams_rule_set() {
    return parsed(&streams_rule_set_json);
}

const json::Value& aws_partitions() {
    return parsed(&partitions_json);
}

}  // namespace bloop::detail
