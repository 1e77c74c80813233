// NameResolver: host names to addresses off the I/O threads, with a cache and one query per name.
#pragma once

#include "core/base/error.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pulse {

/// NameResolver looks host names up for HttpClient. Asio resolves on one internal thread per event
/// loop, so one slow name (a DNS server timing out) stalls every target's next connection on that
/// loop. Here:
///   - a numeric host (127.0.0.1, ::1) is answered at once, without a lookup;
///   - names are looked up on threads of their own (kThreads at most at once, the rest queued, at most
///     kMaxQueued names waiting), so a slow name holds one thread and delays no other name;
///   - concurrent requests for one name share one lookup;
///   - answers are kept kPositiveTtlMs, failures kNegativeTtlMs.
/// A lookup cannot be interrupted (getaddrinfo has no deadline of its own): the caller bounds its
/// wait with its own deadline and drops a late answer.
///
/// Threading: resolve() may be called from any thread; `done` runs on a resolver thread, or on the
/// caller's thread when answered at once. After the destructor returns no `done` runs again (a lookup
/// still in progress then finishes on its own thread and is dropped).
class NameResolver {
public:
    /// Lookup maps a host name to its addresses, as text ("10.0.0.1", "::1"). Injectable for tests;
    /// the default uses getaddrinfo.
    using Lookup = std::function<Result<std::vector<std::string>>(const std::string &host)>;
    using Done = std::function<void(const Result<std::vector<std::string>> &addresses)>;

    static constexpr std::size_t kThreads = 4;
    static constexpr std::size_t kMaxQueued = 4096;
    static constexpr long kPositiveTtlMs = 60'000;
    static constexpr long kNegativeTtlMs = 5'000;

    explicit NameResolver(Lookup lookup = {});
    ~NameResolver();
    NameResolver(const NameResolver &) = delete;
    NameResolver &operator=(const NameResolver &) = delete;

    void resolve(const std::string &host, Done done);

    /// lookups counts the lookups actually run (not answered from the cache or shared).
    std::size_t lookups() const;

    /// systemLookup is the default Lookup: getaddrinfo for TCP, IPv4 and IPv6.
    static Result<std::vector<std::string>> systemLookup(const std::string &host);

    struct State;

private:
    std::shared_ptr<State> m_state; // shared with the lookup threads, which may outlive this object
};

} // namespace pulse
