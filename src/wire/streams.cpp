// The DynamoDB Streams bodies, built and read member by member.

#include "wire/streams.hpp"

#include "wire/reading.hpp"
#include "wire/writing.hpp"

#include <optional>
#include <utility>

namespace bloop::detail::wire {

using json::detail::Reader;

std::string encode(const DescribeStream& r) {
    std::string out = "{";
    put_string(out, "StreamArn", r.stream_arn);
    put_optional_string(out, "ExclusiveStartShardId", r.exclusive_start_shard_id);
    out.push_back('}');
    return out;
}

StreamDescription StreamDescription::decode(std::string_view body) {
    return decoded("DescribeStream", [&] {
        StreamDescription out;
        bool found = false;
        read_answer(body, [&](Reader& r, std::string_view member) {
            if (member != "StreamDescription") return r.skip();
            found = true;
            r.members([&](std::string_view name) {
                if (name == "Shards") {
                    r.array([&] {
                        Shard& shard = out.shards.emplace_back();
                        r.members([&](std::string_view m) {
                            if (m == "ShardId") {
                                shard.shard_id = r.string();
                            } else if (m == "ParentShardId") {
                                shard.parent_shard_id = r.string();
                            } else {
                                r.skip();
                            }
                        });
                    });
                } else if (name == "LastEvaluatedShardId") {
                    out.last_evaluated_shard_id = r.string();
                } else {
                    r.skip();
                }
            });
        });
        if (!found) throw InvalidJson("the answer has no object 'StreamDescription'");
        return out;
    });
}

std::string encode(const GetShardIterator& r) {
    std::string out = "{";
    put_string(out, "StreamArn", r.stream_arn);
    put_string(out, "ShardId", r.shard_id);
    put_string(out, "ShardIteratorType", r.shard_iterator_type);
    put_optional_string(out, "SequenceNumber", r.sequence_number);
    out.push_back('}');
    return out;
}

ShardIterator ShardIterator::decode(std::string_view body) {
    return decoded("GetShardIterator", [&] {
        std::optional<std::string> iterator;
        Reader r(body);
        r.object([&](std::string_view name) {
            if (name == "ShardIterator") {
                iterator = r.string();
            } else {
                r.skip();
            }
        });
        r.end();
        if (!iterator) throw InvalidJson("the answer has no 'ShardIterator'");
        return ShardIterator{std::move(*iterator)};
    });
}

std::string encode(const GetRecords& r) {
    std::string out = "{";
    put_string(out, "ShardIterator", r.shard_iterator);
    out.push_back('}');
    return out;
}

RecordsPage RecordsPage::decode(std::string_view body) {
    return decoded("GetRecords", [&] {
        RecordsPage out;
        read_answer(body, [&](Reader& r, std::string_view name) {
            if (name == "Records") {
                r.array([&] {
                    out.records.push_back(Record::read(r));
                    out.records.back().check();
                });
            } else if (name == "NextShardIterator") {
                out.next_shard_iterator = r.string();
            } else {
                r.skip();
            }
        });
        return out;
    });
}

Record Record::read(json::detail::Reader& reader) {
    Record out;
    reader.members([&](std::string_view name) {
        if (name == "eventID") {
            out.event_id = reader.string();
        } else if (name == "eventName") {
            out.event_name = reader.string();
        } else if (name == "eventVersion") {
            out.event_version = reader.string();
        } else if (name == "eventSource") {
            out.event_source = reader.string();
        } else if (name == "eventSourceARN") {
            out.event_source_arn = reader.string();
        } else if (name == "awsRegion") {
            out.aws_region = reader.string();
        } else if (name == "userIdentity") {
            reader.members([&](std::string_view member) {
                if (member == "Type" || member == "type") {
                    out.user_identity_type = reader.string();
                } else if (member == "PrincipalId" || member == "principalId") {
                    out.user_identity_principal_id = reader.string();
                } else {
                    reader.skip();
                }
            });
        } else if (name == "dynamodb") {
            out.has_dynamodb = true;
            reader.members([&](std::string_view member) {
                if (member == "SequenceNumber") {
                    out.sequence_number = reader.string();
                } else if (member == "StreamViewType") {
                    out.stream_view_type = reader.string();
                } else if (member == "SizeBytes") {
                    out.size_bytes = reader.integer();
                } else if (member == "ApproximateCreationDateTime") {
                    out.approximate_creation_date_time = reader.number();
                } else if (member == "Keys") {
                    out.keys = reader.item();
                } else if (member == "OldImage") {
                    out.old_image = reader.item();
                } else if (member == "NewImage") {
                    out.new_image = reader.item();
                } else {
                    reader.skip();
                }
            });
        } else {
            reader.skip();
        }
    });
    return out;
}

void Record::check() const {
    if (!has_dynamodb) throw InvalidJson("record '" + event_id + "' has no 'dynamodb' object");
    if (sequence_number.empty()) throw InvalidJson("record '" + event_id + "' has no SequenceNumber");
}

std::string_view table_of_stream(std::string_view stream_arn) noexcept {
    const std::size_t at = stream_arn.find(":table/");
    if (at == std::string_view::npos) return stream_arn;
    const std::size_t begin = at + 7;
    return stream_arn.substr(begin, stream_arn.find('/', begin) - begin);
}

}  // namespace bloop::detail::wire
