#pragma once
// The EC2 instance's region from its metadata service, and why there is none.

#include <bloop/client/environment.hpp>

#include <optional>
#include <string>

namespace bloop::detail {

/// The region, or what happened instead.
struct InstanceRegion {
    std::optional<std::string> region;
    /// Empty with a region; else e.g. "disabled by AWS_EC2_METADATA_DISABLED" or
    /// "ec2-instance-metadata: HTTP 403 from http://169.254.169.254/latest/api/token".
    std::string why_not;
};

/// Asks the instance metadata service (IMDSv2, 1 s timeouts) for the instance's region.
[[nodiscard]] InstanceRegion ask_instance_region(const Environment& env);

}  // namespace bloop::detail
