#pragma once
// Bringing an existing table to its model in place (bind with BindOptions::update): what DynamoDB
// can change without re-creating the table.

#include <bloop/client/client.hpp>
#include <bloop/model/model_info.hpp>

#include "wire/table.hpp"

#include <functional>
#include <string>
#include <vector>

namespace bloop::detail {

/// Polls DescribeTable until the table and its GSIs are ACTIVE; returns the description.
using WaitActive = std::function<wire::TableDescription()>;

/// Changes the described table toward the model — billing, throughput, missing GSIs (each waited
/// for until ACTIVE), the stream, deletion protection — and returns what it changed, in words.
/// Keys, LSIs and the projections of existing indexes are left alone (they cannot change in place;
/// validation then reports them). `table` is updated to the last description.
std::vector<std::string> migrate_table(const Client& client, const ModelInfo& m,
                                       const std::string& table_name, wire::TableDescription& table,
                                       const WaitActive& wait_active);

/// Point-in-time recovery toward the model (UpdateContinuousBackups) when `allowed`, else what
/// differs in `diffs`. A server without continuous backups (DynamoDB Local answers
/// UnknownOperationException) is noted in `notes` and not checked.
std::vector<std::string> migrate_backups(const Client& client, const ModelInfo& m,
                                         const std::string& table_name, bool allowed,
                                         std::vector<std::string>& diffs,
                                         std::vector<std::string>& notes);

/// The model's tags on the table (TagResource) when `allowed`, else what differs in `diffs`. A
/// server without tagging (DynamoDB Local) is noted in `notes` and not checked.
std::vector<std::string> migrate_tags(const Client& client, const ModelInfo& m,
                                      const std::string& table_arn, bool allowed,
                                      std::vector<std::string>& diffs,
                                      std::vector<std::string>& notes);

/// Enables the model's TTL attribute when the table has none enabled (UpdateTimeToLive); returns
/// what it changed, or what differs when it cannot (TTL on another attribute), in `diffs`.
std::vector<std::string> migrate_ttl(const Client& client, const ModelInfo& m,
                                     const std::string& table_name, bool allowed,
                                     std::vector<std::string>& diffs);

}  // namespace bloop::detail
