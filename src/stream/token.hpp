#pragma once
// Stream tokens: bloop's JSON shape, parsed and checked whole before a reader moves to one.

#include <map>
#include <string>
#include <vector>

namespace bloop::detail {

/// One shard's saved position.
struct SavedShard {
    std::string parent;           ///< may be empty
    std::string iterator_type;    ///< trim_horizon, latest, at_sequence or after_sequence
    std::string sequence_number;  ///< decimal digits; empty for trim_horizon/latest
};

/// A parsed stream token.
struct StreamToken {
    std::string stream_arn;
    std::vector<std::string> active;           ///< the shards being read
    std::map<std::string, SavedShard> shards;  ///< by shard id
};

/// Parses and checks a token; throws InvalidPosition naming what is wrong with it, or
/// InvalidShardIterator for an iterator type DynamoDB Streams does not have.
[[nodiscard]] StreamToken parse_stream_token(const std::string& text);

}  // namespace bloop::detail
