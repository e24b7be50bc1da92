// The DynamoDB Streams bodies, built and read member by member.

#include "wire/streams.hpp"

#include "wire/reading.hpp"

namespace bloop::detail::wire {

using json::Value;

std::string encode(const DescribeStream& r) {
    Value out;
    out["StreamArn"] = r.stream_arn;
    if (!r.exclusive_start_shard_id.empty())
        out["ExclusiveStartShardId"] = r.exclusive_start_shard_id;
    return json::to_string(out);
}

StreamDescription StreamDescription::decode(std::string_view body) {
    return decoded("DescribeStream", [&] {
        const Value answer = parse_object(body);
        const Value& d = object_member(answer, "StreamDescription");
        StreamDescription out;
        for (const Value& s : elements(d.find("Shards")))
            out.shards.push_back({string_member(s, "ShardId"), string_member(s, "ParentShardId")});
        out.last_evaluated_shard_id = string_member(d, "LastEvaluatedShardId");
        return out;
    });
}

std::string encode(const GetShardIterator& r) {
    Value out;
    out["StreamArn"] = r.stream_arn;
    out["ShardId"] = r.shard_id;
    out["ShardIteratorType"] = r.shard_iterator_type;
    if (!r.sequence_number.empty()) out["SequenceNumber"] = r.sequence_number;
    return json::to_string(out);
}

ShardIterator ShardIterator::decode(std::string_view body) {
    return decoded("GetShardIterator", [&] {
        const Value answer = parse_object(body);
        const Value* it = answer.find("ShardIterator");
        if (it == nullptr) throw InvalidJson("the answer has no 'ShardIterator'");
        return ShardIterator{it->as_string()};
    });
}

std::string encode(const GetRecords& r) {
    Value out;
    out["ShardIterator"] = r.shard_iterator;
    return json::to_string(out);
}

RecordsPage RecordsPage::decode(std::string_view body) {
    return decoded("GetRecords", [&] {
        RecordsPage out;
        json::detail::Reader r(body);
        r.object([&](std::string_view name) {
            if (r.null()) return;
            if (name == "Records") {
                r.array([&] { out.records.push_back(Record::read(r)); });
            } else if (name == "NextShardIterator") {
                out.next_shard_iterator = r.string();
            } else {
                r.skip();
            }
        });
        r.end();
        return out;
    });
}

Record Record::read(json::detail::Reader& reader) {
    Record out;
    bool has_dynamodb = false;
    reader.object([&](std::string_view name) {
        if (reader.null()) return;
        if (name == "eventID") {
            out.event_id = reader.string();
        } else if (name == "eventName") {
            out.event_name = reader.string();
        } else if (name == "eventVersion") {
            out.event_version = reader.string();
        } else if (name == "userIdentity") {
            reader.object([&](std::string_view member) {
                if (reader.null()) return;
                if (member == "Type") {
                    out.user_identity_type = reader.string();
                } else if (member == "PrincipalId") {
                    out.user_identity_principal_id = reader.string();
                } else {
                    reader.skip();
                }
            });
        } else if (name == "dynamodb") {
            has_dynamodb = true;
            reader.object([&](std::string_view member) {
                if (reader.null()) return;
                if (member == "SequenceNumber") {
                    out.sequence_number = reader.string();
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
    if (!has_dynamodb) throw InvalidJson("record '" + out.event_id + "' has no 'dynamodb' object");
    if (out.sequence_number.empty())
        throw InvalidJson("record '" + out.event_id + "' has no SequenceNumber");
    return out;
}

}  // namespace bloop::detail::wire
