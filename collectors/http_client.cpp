// HttpClient: the shared state of all requests (keep-alive pool, connection gate, TLS contexts, name
// resolver) and the entry points. One request's state machine is in http_exchange.cpp.
#include "collectors/http_client.h"

#include "collectors/detail/http_client_impl.h"

#include <boost/asio/post.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <functional>
#include <future>
#include <string_view>

namespace pulse {

namespace {

/// kMaxWaitingRequests bounds the queue of requests waiting for a connection slot; beyond it a
/// request fails at once (it would only time out).
constexpr std::size_t kMaxWaitingRequests = 100'000;

/// defaultConnectionLimit leaves half the open-file limit to idle connections, the history and
/// log files: a busy connection is one descriptor.
std::size_t defaultConnectionLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return 65536;
    return std::clamp<std::size_t>(limit.rlim_cur / 2, 16, 65536);
}

} // namespace

HttpClient::Impl::Impl(IoRuntime::Impl &runtime, const HttpClientOptions &options)
    : loops(runtime), pool(IdlePoolLimits{options.maxIdlePerHost, options.maxIdleTotal, options.idleTimeout}),
      gate(ConnectionGate::create(options.maxConnectionsInFlight > 0 ? options.maxConnectionsInFlight
                                                                     : defaultConnectionLimit(),
                                  kMaxWaitingRequests)),
      resolver(options.lookup), idleClock(options.idleClock)
{
}

Result<std::shared_ptr<detail::ssl::context>> HttpClient::Impl::tlsContext(const std::string &caFile, bool insecure)
{
    namespace ssl = detail::ssl;
    std::lock_guard lock(tlsMutex);
    auto &slot = tlsContexts[{caFile, insecure}];
    if (slot)
        return slot;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    boost::system::error_code ec;
    ctx->set_default_verify_paths(ec);
    if (!caFile.empty()) {
        ctx->load_verify_file(caFile, ec);
        if (ec) {
            tlsContexts.erase({caFile, insecure}); // try again next time: the file may appear
            return fail("cannot load CA file '" + caFile + "': " + ec.message());
        }
    }
    ctx->set_verify_mode(insecure ? ssl::verify_none : ssl::verify_peer);
    slot = ctx;
    return ctx;
}

HttpClient::HttpClient(IoRuntime &runtime, const HttpClientOptions &options)
    : m_runtime(runtime), m_impl(std::make_shared<Impl>(runtime.impl(), options))
{
}

HttpClient::~HttpClient()
{
    m_impl->gate->close();
    m_impl->pool.close();
}

void HttpClient::fetch(HttpRequest request, HttpCallback done)
{
    const auto deadline = std::chrono::steady_clock::now() + request.timeout;
    // From an I/O thread the exchange stays on that thread's loop (a target's scrape); from any other
    // thread, requests to one scheme://authority go to one loop, where its idle connections are.
    const std::string_view url = request.url;
    const std::size_t scheme = url.find("://");
    const std::size_t authorityEnd = scheme == std::string_view::npos ? url.size() : url.find('/', scheme + 3);
    const std::size_t key = std::hash<std::string_view>{}(url.substr(0, authorityEnd));
    boost::asio::post(m_runtime.impl().pickFor(key),
                      [client = m_impl, request = std::move(request), deadline, done = std::move(done)]() mutable {
                          detail::startExchange(std::move(client), std::move(request), deadline, std::move(done));
                      });
}

Result<HttpResponse> HttpClient::fetchBlocking(HttpRequest request)
{
    // On an I/O thread the exchange would be queued behind this very call on the thread's own loop.
    if (m_runtime.impl().current() != nullptr)
        return fail("internal error: a blocking HTTP request on an I/O thread");
    auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
    auto future = promise->get_future();
    fetch(std::move(request), [promise](Result<HttpResponse> r) { promise->set_value(std::move(r)); });
    return future.get();
}

NameResolver &HttpClient::resolver() const
{
    return m_impl->resolver;
}

std::size_t HttpClient::idleConnections() const
{
    return m_impl->pool.size();
}

std::uint64_t HttpClient::droppedIdleConnections() const
{
    return m_impl->pool.dropped();
}

std::size_t HttpClient::connectionLimit() const
{
    return m_impl->gate->limit();
}

std::size_t HttpClient::connectionsInFlight() const
{
    return m_impl->gate->inFlight();
}

std::uint64_t HttpClient::connectionWaits() const
{
    return m_impl->gate->waits();
}

} // namespace pulse
