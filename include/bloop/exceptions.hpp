#pragma once
/// \file
/// The exception hierarchy. Every error bloop raises derives from `bloop::BloopException` and from
/// exactly one standard exception: "bad input" errors from `std::invalid_argument` (bloop's
/// ValueError), everything else from `std::runtime_error`. So `catch (const std::exception&)`,
/// `catch (const std::invalid_argument&)` and `catch (const bloop::BloopException&)` all work.

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace bloop {

/// Root of every exception bloop throws. Not itself a `std::exception`; every concrete subclass
/// is, through exactly one standard base.
class BloopException {
  public:
    virtual ~BloopException() = default;
    /// The message, naming what was wrong and with which value.
    [[nodiscard]] virtual const char* what() const noexcept = 0;
};

namespace detail {
/// Joins BloopException with one standard exception base.
template <class StdBase>
class ExceptionBase : public BloopException, public StdBase {
  public:
    explicit ExceptionBase(const std::string& message) : StdBase(message) {}
    [[nodiscard]] const char* what() const noexcept override { return StdBase::what(); }
};
}  // namespace detail

/// Base of "unexpected state" errors (bloop: BloopException).
class RuntimeError : public detail::ExceptionBase<std::runtime_error> {
  public:
    using ExceptionBase::ExceptionBase;
};

/// Base of "bad input" errors, raised before any request is sent (bloop: ValueError).
class InvalidArgument : public detail::ExceptionBase<std::invalid_argument> {
  public:
    using ExceptionBase::ExceptionBase;
};

// ---- configuration and client input ------------------------------------------------------------

/// A client option is unusable (endpoint URL, timeouts, concurrency, retry settings).
class InvalidConfiguration : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// An endpoint URL could not be parsed or uses an unsupported scheme.
class InvalidEndpoint : public InvalidConfiguration {
  public:
    using InvalidConfiguration::InvalidConfiguration;
};

/// No region was given and none was found; the message lists what was tried.
class MissingRegion : public InvalidConfiguration {
  public:
    using InvalidConfiguration::InvalidConfiguration;
};

/// No credentials were given and none were found; the message lists what was tried.
class MissingCredentials : public InvalidConfiguration {
  public:
    using InvalidConfiguration::InvalidConfiguration;
};

/// A credentials provider could not supply credentials: its process or endpoint failed, or its
/// temporary credentials expired and could not be renewed. The message names the provider.
class CredentialsUnavailable : public RuntimeError {
  public:
    using RuntimeError::RuntimeError;
};

/// An operation name that is not a DynamoDB or DynamoDB Streams operation this client supports.
class UnknownOperation : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// Text that is not valid JSON, or a JSON value of a shape that cannot be read as asked.
class InvalidJson : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// An attribute value read as the wrong type (e.g. `as_string()` on a number).
class AttributeTypeMismatch : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

// ---- values, types and models ----

/// A value that cannot be stored or loaded as asked: a number out of DynamoDB's range or with more
/// than 38 significant digits, NaN or infinity, a date-time in another layout, an integer too
/// large for its C++ type. The message names the value (and the model and column when known).
class InvalidValue : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// A number DynamoDB cannot hold exactly (bloop: the decimal Inexact/Overflow/Underflow traps).
class InvalidNumber : public InvalidValue {
  public:
    using InvalidValue::InvalidValue;
};

/// A model that breaks bloop's rules (keys, names, abstract use).
class InvalidModel : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// An index that breaks bloop's rules (projection, LSI rules, unknown columns).
class InvalidIndex : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// A stream setting that is not one of bloop's: include {keys}, {new}, {old} or {new, old}.
class InvalidStream : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// A condition that cannot be built or rendered: an operator the column's type does not support,
/// a comparison with no value, an empty IN or AND/OR.
class InvalidCondition : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// An update action that cannot be sent: on a key or the version column, two on one column (or on
/// overlapping paths), with an empty operand, on a delete, or with a returned-values option inside
/// a transaction.
class InvalidUpdate : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// A Query key condition that is not `hash == value`, optionally AND one range-key condition.
class InvalidKeyCondition : public InvalidCondition {
  public:
    using InvalidCondition::InvalidCondition;
};

/// A filter naming a column the queried table or index cannot return, or a Query filter on the
/// target's own keys.
class InvalidFilterCondition : public InvalidCondition {
  public:
    using InvalidCondition::InvalidCondition;
};

/// A projection that is not "all", "count" or columns the target can return.
class InvalidProjection : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

// ---- engine ----

/// A save or delete condition (or an atomic snapshot) was not met (bloop: "The condition was not
/// met.").
class ConstraintViolation : public RuntimeError {
  public:
    using RuntimeError::RuntimeError;
};

/// An object's key column has no value; raised before any request.
class MissingKey : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// A model used with an engine that has not bound it.
class UnboundModel : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// A stored item is of another entity than the model reading it (single-table design): the
/// message names the table, the key and both entities.
class WrongEntity : public RuntimeError {
  public:
    using RuntimeError::RuntimeError;
};

/// The existing table does not match the model; the message lists every difference.
class TableMismatch : public RuntimeError {
  public:
    using RuntimeError::RuntimeError;
};

namespace detail {
struct IdentityAccess;
}

/// Which of your objects an error is about: ask it with `is(object)`.
class ObjectIdentity {
  public:
    /// The identity of `object` (an object of yours).
    template <class T>
    explicit ObjectIdentity(const T& object) noexcept : address_(&object) {}
    /// Whether this is `object` (the same object, not an equal one).
    template <class T>
    [[nodiscard]] bool is(const T& object) const noexcept {
        return address_ == static_cast<const void*>(&object);
    }
    /// The same object.
    friend bool operator==(const ObjectIdentity&, const ObjectIdentity&) = default;

  private:
    friend struct detail::IdentityAccess;
    struct FromAddress {};
    ObjectIdentity(FromAddress, const void* address) noexcept : address_(address) {}
    const void* address_;
};

namespace detail {
/// For the engine, which knows its objects by address.
struct IdentityAccess {
    static ObjectIdentity of(const void* address) noexcept {
        return ObjectIdentity(ObjectIdentity::FromAddress{}, address);
    }
};
}  // namespace detail

/// Some objects of a load were not found. The others were loaded and signalled.
class MissingObjects : public RuntimeError {
  public:
    /// `objects`: the objects that were not found.
    MissingObjects(const std::string& message, std::vector<ObjectIdentity> objects)
        : RuntimeError(message), objects_(std::move(objects)) {}
    /// Exactly the objects that were not found.
    [[nodiscard]] const std::vector<ObjectIdentity>& objects() const noexcept { return objects_; }
    /// Whether `object` is one of them.
    template <class T>
    [[nodiscard]] bool missing(const T& object) const noexcept {
        return std::any_of(objects_.begin(), objects_.end(),
                           [&](const ObjectIdentity& o) { return o.is(object); });
    }

  private:
    std::vector<ObjectIdentity> objects_;
};

/// Some objects of a bulk save or delete failed. The others were written and signalled.
class WriteFailed : public RuntimeError {
  public:
    /// One object that was not written, and why.
    struct Failure {
        ObjectIdentity object;     ///< which object: `failure.object.is(account)`
        std::string message;       ///< what went wrong with it
        std::exception_ptr error;  ///< the exception (e.g. ConstraintViolation, ServiceError)
    };
    /// `failures`: exactly the objects that were not written.
    WriteFailed(const std::string& message, std::vector<Failure> failures)
        : RuntimeError(message), failures_(std::move(failures)) {}
    /// Exactly the objects that failed, with their errors.
    [[nodiscard]] const std::vector<Failure>& failures() const noexcept { return failures_; }
    /// The failure of `object`; nullptr when it was written.
    template <class T>
    [[nodiscard]] const Failure* failure_of(const T& object) const noexcept {
        for (const auto& f : failures_) {
            if (f.object.is(object)) return &f;
        }
        return nullptr;
    }

  private:
    std::vector<Failure> failures_;
};

/// A batch write whose only failures are items BatchWriteItem still returned as unprocessed after
/// every round of retries: the table's (or an index's) throughput is exceeded. The other items were
/// written and signalled; `failures()` names exactly the unprocessed objects, which may be written
/// again later as they are.
class UnprocessedItems : public WriteFailed {
  public:
    using WriteFailed::WriteFailed;
};

/// A transaction DynamoDB would refuse, found before anything is sent: more than 100 items, more
/// than 4 MB of item data, two operations on one item, a check without a condition, a save with
/// nothing to write besides the key, or a client request token that is not 1 to 36 characters.
/// The message names the objects.
class InvalidTransaction : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// A batch write DynamoDB would refuse or that cannot keep bloop's promises, found before anything
/// is sent: two operations on one item, or an object of a versioned model (a batch write has no
/// conditions to check the version with). The message names the objects.
class InvalidBatch : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// A write transaction was cancelled and wrote nothing: a condition failed, or another
/// transaction kept conflicting with it after bounded retries. No object's state changed and no
/// signal fired. `failures()` names exactly the objects DynamoDB gave a reason for, in request
/// order.
class TransactionFailed : public ConstraintViolation {
  public:
    /// One object of the transaction and why DynamoDB cancelled its operation.
    struct Failure {
        ObjectIdentity object;  ///< which object: `failure.object.is(account)`
        /// DynamoDB's cancellation code: "ConditionalCheckFailed", "TransactionConflict",
        /// "ValidationError", "ProvisionedThroughputExceeded", ...
        std::string code;
        std::string message;  ///< e.g. "Doc(id='a') is stale: it has version 2, but ..."
        /// The condition failed because the object's version is not the stored one (reload it
        /// and try again), rather than because of the operation's own condition.
        bool stale = false;
    };
    /// `failures`: the objects with a reason, in request order.
    TransactionFailed(const std::string& message, std::vector<Failure> failures)
        : ConstraintViolation(message), failures_(std::move(failures)) {}
    /// The objects DynamoDB gave a cancellation reason for, in request order.
    [[nodiscard]] const std::vector<Failure>& failures() const noexcept { return failures_; }
    /// The failure of `object`; nullptr when its own operation was fine.
    template <class T>
    [[nodiscard]] const Failure* failure_of(const T& object) const noexcept {
        for (const auto& f : failures_) {
            if (f.object.is(object)) return &f;
        }
        return nullptr;
    }
    /// Whether some object failed only because it is stale (and none for another reason).
    [[nodiscard]] bool stale() const noexcept {
        return !failures_.empty() && std::all_of(failures_.begin(), failures_.end(),
                                                 [](const Failure& f) { return f.stale; });
    }

  private:
    std::vector<Failure> failures_;
};

// ---- streams ----

/// A stream position that is not trim_horizon, latest or a token.
class InvalidPosition : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// A shard iterator type that is not one of DynamoDB Streams'.
class InvalidShardIterator : public InvalidArgument {
  public:
    using InvalidArgument::InvalidArgument;
};

/// A stream record (of a Lambda event) that does not fit: not a DynamoDB Streams record, of a table
/// none of the models maps, or not the model's (a missing image, a value the column cannot hold, a
/// number beyond DynamoDB's 38 digits). Names the record: its place in the event, eventID and
/// SequenceNumber.
class InvalidRecord : public InvalidArgument {
  public:
    /// `message` naming the record; its SequenceNumber.
    InvalidRecord(const std::string& message, std::string sequence_number)
        : InvalidArgument(message), sequence_number_(std::move(sequence_number)) {}
    /// The record's SequenceNumber (empty when it has none).
    [[nodiscard]] const std::string& sequence_number() const noexcept { return sequence_number_; }

  private:
    std::string sequence_number_;
};

/// Records a reader needed were trimmed from the stream and could not be recovered.
class RecordsExpired : public RuntimeError {
  public:
    using RuntimeError::RuntimeError;
};

/// A StreamProcessor's lease of a shard moved to another worker (or was given up because it could
/// not be renewed): records after its last checkpoint will be handled by that worker.
class LeaseLost : public RuntimeError {
  public:
    using RuntimeError::RuntimeError;
};

/// A shard iterator expired and the position cannot be recovered.
class ShardIteratorExpired : public RuntimeError {
  public:
    using RuntimeError::RuntimeError;
};

// ---- transport ----------------------------------------------------------------------------------

/// The request did not get a whole HTTP response. The client retries these within its retry
/// policy when the request was never sent, or when sending it again cannot apply it twice.
class TransportError : public RuntimeError {
  public:
    using RuntimeError::RuntimeError;
    /// Whether the request may have reached the service, so that it may have been applied
    /// although no answer came. False only when it provably was never sent.
    [[nodiscard]] virtual bool outcome_unknown() const noexcept { return true; }
};

/// Nothing listens at the endpoint (TCP connection refused) or the host could not be resolved.
/// Nothing was sent.
class ConnectionRefused : public TransportError {
  public:
    using TransportError::TransportError;
    [[nodiscard]] bool outcome_unknown() const noexcept override { return false; }
};

/// The connection broke while the request or response was in flight, or the response was cut
/// short.
class ConnectionReset : public TransportError {
  public:
    using TransportError::TransportError;
};

/// The request timeout ran out: the request may have been applied.
class RequestTimeout : public TransportError {
  public:
    using TransportError::TransportError;
};

/// The connect timeout ran out before a connection was made. Nothing was sent.
class ConnectTimeout : public RequestTimeout {
  public:
    using RequestTimeout::RequestTimeout;
    [[nodiscard]] bool outcome_unknown() const noexcept override { return false; }
};

/// The service answered with a body that is not the JSON the protocol promises (malformed,
/// truncated, or of the wrong shape).
class ProtocolError : public RuntimeError {
  public:
    using RuntimeError::RuntimeError;
};

// ---- service errors
// ------------------------------------------------------------------------------

/// What the service said about a failed request.
struct ServiceErrorInfo {
    int http_status = 0;  ///< e.g. 400
    /// The AWS error code without its namespace, e.g. "ValidationException".
    std::string error_code;
    std::string message;     ///< the service's message (secrets redacted)
    std::string request_id;  ///< x-amzn-RequestId
    std::string operation;   ///< e.g. "PutItem"
    bool retryable = false;  ///< whether sending the same request again could succeed
    /// An earlier attempt of the same call got no whole answer (or a 5xx), so it may have been
    /// applied: e.g. a ConditionalCheckFailed may be caused by that attempt's own write.
    bool earlier_attempt_unknown = false;
};

/// DynamoDB or DynamoDB Streams rejected a request. Subclasses name the common error codes; any
/// other code arrives as a plain ServiceError.
class ServiceError : public RuntimeError {
  public:
    /// An error the service answered with.
    explicit ServiceError(ServiceErrorInfo info);
    [[nodiscard]] int http_status() const noexcept { return info_.http_status; }
    [[nodiscard]] const std::string& error_code() const noexcept { return info_.error_code; }
    [[nodiscard]] const std::string& message() const noexcept { return info_.message; }
    [[nodiscard]] const std::string& request_id() const noexcept { return info_.request_id; }
    [[nodiscard]] const std::string& operation() const noexcept { return info_.operation; }
    [[nodiscard]] bool retryable() const noexcept { return info_.retryable; }
    /// Whether the request may have been applied although this error answers it, as
    /// TransportError::outcome_unknown() says for a missing answer: true for a 5xx answer (the
    /// service may have applied it before failing) and after an earlier attempt of the same call
    /// that got no whole answer or a 5xx; false when the service refused the request outright.
    [[nodiscard]] bool outcome_unknown() const noexcept {
        return info_.http_status >= 500 || info_.earlier_attempt_unknown;
    }
    [[nodiscard]] const ServiceErrorInfo& info() const noexcept { return info_; }

  private:
    ServiceErrorInfo info_;
};

#define BLOOP_SERVICE_ERROR(Name)         \
    class Name : public ServiceError {    \
      public:                             \
        using ServiceError::ServiceError; \
    }
/// ResourceNotFoundException: no such table, index, stream or shard.
BLOOP_SERVICE_ERROR(ResourceNotFound);
/// ResourceInUseException: e.g. CreateTable of a table that exists.
BLOOP_SERVICE_ERROR(ResourceInUse);
/// ValidationException: the request is not valid for the service.
BLOOP_SERVICE_ERROR(ValidationError);
/// ProvisionedThroughputExceededException (retried by the client).
BLOOP_SERVICE_ERROR(ProvisionedThroughputExceeded);
/// ThrottlingException or RequestLimitExceeded (retried by the client).
BLOOP_SERVICE_ERROR(Throttling);
/// ExpiredIteratorException: a DynamoDB Streams shard iterator is older than 15 minutes.
BLOOP_SERVICE_ERROR(ExpiredIterator);
/// TrimmedDataAccessException: the records asked for were trimmed from the stream.
BLOOP_SERVICE_ERROR(TrimmedDataAccess);
/// 5xx InternalServerError / ServiceUnavailable (retried by the client).
BLOOP_SERVICE_ERROR(InternalServerError);
#undef BLOOP_SERVICE_ERROR

class AttributeMap;

/// ConditionalCheckFailedException: a ConditionExpression evaluated to false.
class ConditionalCheckFailed : public ServiceError {
  public:
    /// `item`: the stored item the service returned, if any.
    explicit ConditionalCheckFailed(ServiceErrorInfo info,
                                    std::shared_ptr<const AttributeMap> item = nullptr);
    /// The item as stored when the condition failed, when the request asked for it
    /// (`ReturnValuesOnConditionCheckFailure: ALL_OLD`) and the item exists; else null.
    [[nodiscard]] const AttributeMap* item() const noexcept { return item_.get(); }

  private:
    std::shared_ptr<const AttributeMap> item_;
};

/// One entry of TransactionCanceledException's CancellationReasons, in request order.
struct CancellationReason {
    std::string code;     ///< "None", "ConditionalCheckFailed", "TransactionConflict", ...
    std::string message;  ///< may be empty
    /// The item as stored, when the request asked for it (ReturnValuesOnConditionCheckFailure:
    /// ALL_OLD), the condition failed and the item exists; else null.
    std::shared_ptr<const AttributeMap> item;
};

/// TransactionCanceledException, with one reason per item of the transaction.
class TransactionCanceled : public ServiceError {
  public:
    /// The service's error and its cancellation reasons, in request order.
    TransactionCanceled(ServiceErrorInfo info, std::vector<CancellationReason> reasons);
    /// The reasons in the order of the transaction's items.
    [[nodiscard]] const std::vector<CancellationReason>& reasons() const noexcept {
        return reasons_;
    }

  private:
    std::vector<CancellationReason> reasons_;
};

}  // namespace bloop
