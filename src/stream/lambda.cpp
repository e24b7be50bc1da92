// DynamoDB Streams events inside AWS Lambda: the event read with the GetRecords record reader (a
// Lambda record is a GetRecords record plus eventSourceARN), each record checked against the model
// its table names before it is typed, and the partial batch response.

#include <bloop/stream/lambda.hpp>

#include "engine/core.hpp"
#include "json/reader.hpp"
#include "json/text.hpp"
#include "stream/record.hpp"
#include "wire/streams.hpp"

#include <bloop/types/decimal.hpp>

#include <string>
#include <utility>
#include <vector>

namespace bloop::lambda {

std::string_view EventRecord::table() const noexcept {
    return detail::wire::table_of_stream(event_source_arn);
}

std::string EventRecord::describe() const {
    return "record " + std::to_string(index) + " (eventID '" + event_id + "', SequenceNumber '" +
           sequence_number + "')";
}

StreamEvent StreamEvent::parse(std::string_view json) {
    StreamEvent out;
    bool found = false;
    json::detail::Reader reader(json);
    reader.object([&](std::string_view name) {
        if (name != "Records") return reader.skip();
        found = true;
        reader.array([&] {
            const std::size_t index = out.records.size();
            detail::wire::Record raw = detail::wire::Record::read(reader);
            try {
                raw.check();
            } catch (const InvalidJson& e) {
                throw InvalidRecord(
                    "Lambda event: record " + std::to_string(index) + ": " + e.what(), "");
            }
            EventRecord& r = out.records.emplace_back();
            r.index = index;
            r.event_id = std::move(raw.event_id);
            r.event_name = std::move(raw.event_name);
            r.event_version = std::move(raw.event_version);
            r.event_source = std::move(raw.event_source);
            r.event_source_arn = std::move(raw.event_source_arn);
            r.aws_region = std::move(raw.aws_region);
            r.user_identity_type = std::move(raw.user_identity_type);
            r.user_identity_principal_id = std::move(raw.user_identity_principal_id);
            r.sequence_number = std::move(raw.sequence_number);
            r.stream_view_type = std::move(raw.stream_view_type);
            r.approximate_creation_date_time = raw.approximate_creation_date_time;
            r.size_bytes = raw.size_bytes;
            r.keys = std::move(raw.keys);
            r.old_image = std::move(raw.old_image);
            r.new_image = std::move(raw.new_image);
        });
    });
    reader.end();
    if (!found)
        throw InvalidJson("Lambda event: no 'Records' array (not a DynamoDB Streams event)");
    return out;
}

std::string BatchResponse::json() const {
    std::string out = R"({"batchItemFailures":[)";
    for (std::size_t i = 0; i < failures.size(); ++i) {
        if (i > 0) out.push_back(',');
        out += R"({"itemIdentifier":)";
        json::detail::write_string(out, failures[i]);
        out.push_back('}');
    }
    out += "]}";
    return out;
}

}  // namespace bloop::lambda

namespace bloop::detail {
namespace {

InvalidRecord invalid(const lambda::EventRecord& r, const std::string& what) {
    return InvalidRecord("Lambda event " + r.describe() + ": " + what, r.sequence_number);
}

// Every number in `value` within DynamoDB's limits (38 significant digits, its exponent range).
void check_numbers(const AttributeValue& value) {
    switch (value.type()) {
        case AttributeType::N: (void)Decimal(value.as_number()); break;
        case AttributeType::NS:
            for (const std::string& n : value.as_number_set()) (void)Decimal(n);
            break;
        case AttributeType::M:
            for (const auto& [name, member] : value.as_map()) check_numbers(member);
            break;
        case AttributeType::L:
            for (const AttributeValue& element : value.as_list()) check_numbers(element);
            break;
        default: break;
    }
}

void check_numbers(const lambda::EventRecord& r, const std::optional<Item>& image,
                   const char* which) {
    if (!image) return;
    for (const auto& [name, value] : *image) {
        try {
            check_numbers(value);
        } catch (const InvalidNumber& e) {
            throw invalid(r, std::string(which) + " attribute '" + name + "': " + e.what());
        }
    }
}

bool has_new(StreamView v) {
    return v == StreamView::new_image || v == StreamView::new_and_old_images;
}
bool has_old(StreamView v) {
    return v == StreamView::old_image || v == StreamView::new_and_old_images;
}

// The index among `models` of the model the record is of; nullopt for another entity of a shared
// table.
std::optional<std::size_t> model_of(const EngineCore& core,
                                    std::span<const ModelInfo* const> models,
                                    const lambda::EventRecord& r) {
    std::vector<std::size_t> candidates;
    std::string tables;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const std::string table = core.table_name(*models[i]);
        if (table == r.table()) candidates.push_back(i);
        tables += (i > 0 ? ", " : "") + models[i]->name + ": '" + table + "'";
    }
    if (candidates.empty()) {
        throw invalid(r, "it is of table '" + std::string(r.table()) + "' (eventSourceARN '" +
                             r.event_source_arn + "'), which none of the models maps (" + tables +
                             ")");
    }
    if (candidates.size() == 1 && !models[candidates[0]]->entity) return candidates[0];
    const std::optional<Item>& image =
        r.new_image ? r.new_image : (r.old_image ? r.old_image : r.keys);
    if (!image) throw invalid(r, "it carries no image to tell its entity by");
    std::vector<const ModelInfo*> entities;
    for (std::size_t i : candidates) entities.push_back(models[i]);
    std::optional<std::size_t> which;
    try {
        which = entity_of(core, *image, entities);
    } catch (const WrongEntity& e) {
        throw invalid(r, e.what());
    }
    if (!which) return std::nullopt;
    return candidates[*which];
}

}  // namespace

std::optional<LambdaMatch> match_lambda_record(const EngineCore& core,
                                               std::span<const ModelInfo* const> models,
                                               const lambda::EventRecord& r) {
    const bool insert = r.event_name == "INSERT";
    const bool remove = r.event_name == "REMOVE";
    if (!insert && !remove && r.event_name != "MODIFY") {
        throw invalid(r, "eventName '" + r.event_name + "' is not INSERT, MODIFY or REMOVE");
    }
    std::optional<StreamView> sent;
    if (!r.stream_view_type.empty()) {
        try {
            sent = stream_view_from_type(r.stream_view_type);
        } catch (const InvalidStream&) {
            throw invalid(r,
                          "StreamViewType '" + r.stream_view_type + "' is not one of DynamoDB's");
        }
    }
    const std::optional<std::size_t> which = model_of(core, models, r);
    if (!which) return std::nullopt;
    const ModelInfo& model = *models[*which];
    if (!model.stream) {
        throw InvalidStream("model " + model.name + " has no stream: its records cannot be read");
    }
    const StreamView view = *model.stream;
    if (sent && ((has_new(view) && !has_new(*sent)) || (has_old(view) && !has_old(*sent)))) {
        throw invalid(r, "its StreamViewType " + r.stream_view_type + " lacks images " +
                             model.name + "'s stream view " + std::string(stream_view_type(view)) +
                             " needs");
    }
    if (!r.keys) throw invalid(r, "it has no Keys");
    if (has_new(view) && !remove && !r.new_image) {
        throw invalid(r, r.event_name + " record with no NewImage (" + model.name +
                             "'s stream view is " + std::string(stream_view_type(view)) + ")");
    }
    if (has_old(view) && !insert && !r.old_image) {
        throw invalid(r, r.event_name + " record with no OldImage (" + model.name +
                             "'s stream view is " + std::string(stream_view_type(view)) + ")");
    }
    check_numbers(r, r.keys, "Keys");
    check_numbers(r, r.old_image, "OldImage");
    check_numbers(r, r.new_image, "NewImage");

    // The record as GetRecords would have sent it, read by the stream reader's own rules (TTL).
    wire::Record raw;
    raw.event_id = r.event_id;
    raw.event_name = r.event_name;
    raw.event_version = r.event_version;
    raw.user_identity_type = r.user_identity_type;
    raw.user_identity_principal_id = r.user_identity_principal_id;
    raw.sequence_number = r.sequence_number;
    raw.approximate_creation_date_time = r.approximate_creation_date_time;
    raw.keys = r.keys;
    raw.old_image = r.old_image;
    raw.new_image = r.new_image;
    return LambdaMatch{*which, stream_record(std::move(raw), "")};
}

void rethrow_for_record(const lambda::EventRecord& r) {
    try {
        throw;
    } catch (const InvalidRecord&) {
        throw;
    } catch (const InvalidArgument& e) {
        throw invalid(r, e.what());
    }
}

}  // namespace bloop::detail
