// TcpProbe: connect to host:port within a deadline, optionally send a line and expect a banner.
#pragma once

#include "collectors/probe.h"

namespace pulse {

class IoRuntime;
class NameResolver;

/// TcpProbe resolves and connects to the target's `address`, writes `send` if set, and if
/// `expect_banner` is set reads until that text appears (at most 64 KiB). The whole run has the
/// target's timeout. Every run reports probe_success, probe_duration_seconds, up and, for the phases
/// that ran, probe_dns_lookup_time_seconds and probe_tcp_connect_duration_seconds. `instance` is
/// the address as configured.
class TcpProbe final : public Probe {
public:
    /// `resolver` looks host names up (off the I/O threads, shared with the HttpClient); it must
    /// outlive the probe's runs.
    TcpProbe(TargetConfig target, IoRuntime &runtime, NameResolver &resolver);
    void run(std::int64_t startMs, std::function<void(ProbeOutcome)> done) override;

    /// kMaxBannerBytes bounds what is read while waiting for the banner.
    static constexpr std::size_t kMaxBannerBytes = 64 * 1024;

private:
    /// options are the target's TcpOptions (makeProbe gives each probe a target of its own kind).
    const TcpOptions &options() const { return std::get<TcpOptions>(m_target.options); }

    TargetConfig m_target;
    IoRuntime &m_runtime;
    NameResolver &m_resolver;
};

} // namespace pulse
