// The public headers' include graph: no header includes one that includes it back (directly or
// through others), so each can be read, and compiled, from the top down.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// "bloop/engine/engine.hpp" → the bloop headers it includes.
std::map<std::string, std::vector<std::string>> include_graph(const fs::path& root) {
    std::map<std::string, std::vector<std::string>> graph;
    for (const auto& entry : fs::recursive_directory_iterator(root / "bloop")) {
        if (entry.path().extension() != ".hpp") continue;
        const std::string name = fs::relative(entry.path(), root).generic_string();
        auto& edges = graph[name];
        std::ifstream in(entry.path());
        for (std::string line; std::getline(in, line);) {
            const std::string prefix = "#include <bloop/";
            if (line.rfind(prefix, 0) != 0) continue;
            const auto end = line.find('>', prefix.size());
            edges.push_back(line.substr(prefix.size() - 6, end - (prefix.size() - 6)));
        }
    }
    return graph;
}

// A cycle through `at`, as "a -> b -> a"; empty when there is none.
std::string cycle_from(const std::map<std::string, std::vector<std::string>>& graph,
                       const std::string& at, std::vector<std::string>& path,
                       std::set<std::string>& done) {
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] != at) continue;
        std::string out;
        for (std::size_t j = i; j < path.size(); ++j) out += path[j] + " -> ";
        return out + at;
    }
    if (done.count(at) != 0) return {};
    path.push_back(at);
    const auto edges = graph.find(at);
    if (edges != graph.end()) {
        for (const auto& next : edges->second) {
            if (auto cycle = cycle_from(graph, next, path, done); !cycle.empty()) return cycle;
        }
    }
    path.pop_back();
    done.insert(at);
    return {};
}

TEST(HeaderLayout, NoPublicHeaderIncludesOneThatIncludesItBack) {
    const auto graph = include_graph(BLOOP_INCLUDE_DIR);
    ASSERT_GT(graph.size(), 40u) << "the headers were found";
    ASSERT_TRUE(graph.count("bloop/engine/engine.hpp"));
    EXPECT_TRUE(graph.count("bloop/engine/detail/core.hpp"));
    std::set<std::string> done;
    for (const auto& [header, edges] : graph) {
        std::vector<std::string> path;
        EXPECT_EQ(cycle_from(graph, header, path, done), "") << header;
    }
}

TEST(HeaderLayout, TheCycleFinderFindsACycle) {
    const std::map<std::string, std::vector<std::string>> graph{
        {"a", {"b"}}, {"b", {"c"}}, {"c", {"a"}}, {"d", {"a"}}};
    std::set<std::string> done;
    std::vector<std::string> path;
    EXPECT_EQ(cycle_from(graph, "d", path, done), "a -> b -> c -> a");
}

}  // namespace
