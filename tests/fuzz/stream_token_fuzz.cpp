// Stream tokens: checked whole, refused with InvalidPosition (InvalidShardIterator for an iterator
// type DynamoDB Streams does not have).

#include <bloop/exceptions.hpp>

#include "stream/token.hpp"

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    try {
        const auto token = bloop::detail::parse_stream_token(std::string(as_text(data, size)));
        for (const auto& [id, shard] : token.shards) {
            BLOOP_FUZZ_CHECK(!id.empty());
            BLOOP_FUZZ_CHECK(shard.iterator_type == "trim_horizon" ||
                             shard.iterator_type == "latest" ||
                             !shard.sequence_number.empty());
        }
    } catch (const bloop::InvalidPosition&) {
    } catch (const bloop::InvalidShardIterator&) {
    }
    return 0;
}
