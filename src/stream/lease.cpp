// The lease table: StreamLease items written with the engine, conditional on the lease counter.

#include <bloop/conditions/attr.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/stream/lease.hpp>

namespace bloop {

std::string_view StreamLease::stream_arn() const {
    const auto slash = lease.rfind('/');
    return slash == std::string::npos ? std::string_view()
                                      : std::string_view(lease).substr(0, slash);
}

std::string_view StreamLease::shard_id() const {
    const auto slash = lease.rfind('/');
    return slash == std::string::npos ? std::string_view(lease)
                                      : std::string_view(lease).substr(slash + 1);
}

bool StreamLease::finished() const {
    return checkpoint == checkpoint::shard_end;
}

namespace {

class EngineLeaseStore : public LeaseStore {
  public:
    explicit EngineLeaseStore(Engine& engine) : engine_(engine) { engine_.bind<StreamLease>(); }

    std::vector<StreamLease> list(const std::string& consumer) override {
        std::vector<StreamLease> out;
        for (const StreamLease& lease :
             engine_.query(attr<&StreamLease::consumer> == consumer, {.consistent = true}))
            out.push_back(lease);
        return out;
    }

    // The version column makes every save conditional on the counter and increments it.
    bool write(StreamLease& lease) override {
        try {
            engine_.save(lease);
            return true;
        } catch (const ConstraintViolation&) {
            return false;
        }
    }

    bool remove(const StreamLease& lease) override {
        StreamLease doomed = lease;
        try {
            engine_.remove(doomed);
            return true;
        } catch (const ConstraintViolation&) {
            return false;
        }
    }

  private:
    Engine& engine_;
};

}  // namespace

std::shared_ptr<LeaseStore> lease_table(Engine& engine) {
    return std::make_shared<EngineLeaseStore>(engine);
}

}  // namespace bloop
