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
        Value answer = parse_object(body);
        RecordsPage out;
        if (Value* list = answer.find("Records")) out.records = std::move(list->as_array());
        if (const Value* next = answer.find("NextShardIterator");
            next != nullptr && !next->is_null())
            out.next_shard_iterator = next->as_string();
        return out;
    });
}

namespace {

std::optional<Item> image(Value& dynamodb, std::string_view name) {
    Value* v = dynamodb.find(name);
    if (v == nullptr) return std::nullopt;
    return json::to_item(std::move(*v));
}

}  // namespace

Record Record::decode(Value&& record) {
    return decoded("GetRecords", [&] {
        if (!record.is_object()) throw InvalidJson("a record is not a JSON object");
        Record r;
        r.event_id = string_member(record, "eventID");
        r.event_name = string_member(record, "eventName");
        r.event_version = string_member(record, "eventVersion");
        if (const Value* who = record.find("userIdentity")) {
            r.user_identity_type = string_member(*who, "Type");
            r.user_identity_principal_id = string_member(*who, "PrincipalId");
        }
        Value* d = record.find("dynamodb");
        if (d == nullptr || !d->is_object())
            throw InvalidJson("record '" + r.event_id + "' has no 'dynamodb' object");
        r.sequence_number = string_member(*d, "SequenceNumber");
        if (r.sequence_number.empty())
            throw InvalidJson("record '" + r.event_id + "' has no SequenceNumber");
        if (const Value* t = d->find("ApproximateCreationDateTime"))
            r.approximate_creation_date_time = t->as_double();
        r.keys = image(*d, "Keys");
        r.old_image = image(*d, "OldImage");
        r.new_image = image(*d, "NewImage");
        return r;
    });
}

}  // namespace bloop::detail::wire
