// TcpProbe on Asio. One TcpCheck per run, all its handlers on one strand so the deadline handler
// never races an I/O completion:
//
//   resolve (NameResolver) -> connect -> [write `send`] -> [read until `expect_banner` | EOF | 64 KiB] -> report
//        \______ deadline timer: answer at once while resolving (the late answer is dropped), else close the socket ______/
#include "collectors/tcp_probe.h"

#include "collectors/detail/asio_access.h"
#include "collectors/detail/resolve_on_strand.h"
#include "collectors/name_resolver.h"
#include "collectors/probe_report.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <vector>

namespace pulse {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

/// splitAddress turns "host:port" / "[v6]:port" into resolver arguments.
std::pair<std::string, std::string> splitAddress(const std::string &address)
{
    const std::size_t colon = address.rfind(':');
    std::string host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    return {host, colon == std::string::npos ? std::string() : address.substr(colon + 1)};
}

std::string printable(const std::string &text)
{
    constexpr std::size_t kMax = 80;
    std::string out;
    for (char c : text.substr(0, kMax)) {
        if (c == '\r')
            out += "\\r";
        else if (c == '\n')
            out += "\\n";
        else if (static_cast<unsigned char>(c) < 0x20)
            out += '?';
        else
            out += c;
    }
    return text.size() > kMax ? out + "..." : out;
}

class TcpCheck : public std::enable_shared_from_this<TcpCheck> {
public:
    TcpCheck(asio::io_context &io, NameResolver &resolver, const TargetConfig &target, std::int64_t startMs,
             std::function<void(ProbeOutcome)> done)
        : m_target(target), m_options(std::get<TcpOptions>(target.options)),
          m_report(target, m_options.address, startMs), m_done(std::move(done)),
          m_strand(asio::make_strand(io)), m_resolver(resolver), m_socket(m_strand), m_timer(m_strand)
    {
    }

    asio::strand<asio::io_context::executor_type> strandExecutor() const { return m_strand; }

    void start()
    {
        m_started = SteadyClock::now();
        m_timer.expires_after(m_target.timeout);
        m_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec)
                self->onDeadline();
        });
        const auto [host, port] = splitAddress(m_options.address);
        m_phase = "resolving " + host;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), m_port);
        if (ec != std::errc() || end != port.data() + port.size())
            return finish("invalid port in address " + m_options.address);
        m_resolving = true;
        detail::resolveOnStrand(m_resolver, host, m_port, m_strand, shared_from_this(),
                                [](TcpCheck &self, const Result<detail::Endpoints> &e) { self.onResolved(e); });
    }

private:
    double secondsSinceStart() const
    {
        return std::chrono::duration<double>(SteadyClock::now() - m_started).count();
    }

    void onDeadline()
    {
        m_timedOut = true;
        if (m_resolving) // nothing to close yet: answer now
            return finish("timed out after " + formatDuration(m_target.timeout) + " while " + m_phase);
        boost::system::error_code ignored;
        m_socket.close(ignored);
    }

    std::string failure(const boost::system::error_code &ec) const
    {
        if (m_timedOut)
            return "timed out after " + formatDuration(m_target.timeout) + " while " + m_phase;
        return m_phase + ": " + ec.message();
    }

    void onResolved(const Result<detail::Endpoints> &endpoints)
    {
        if (!m_resolving || !m_done)
            return; // the deadline has answered already
        m_resolving = false;
        if (!endpoints)
            return finish(endpoints.error().message);
        m_report.add("probe_dns_lookup_time_seconds", secondsSinceStart());
        m_phase = "connecting to " + m_options.address;
        const double resolvedAt = secondsSinceStart();
        asio::async_connect(m_socket, *endpoints,
                            [self = shared_from_this(), resolvedAt](boost::system::error_code e, const tcp::endpoint &) {
                                self->onConnected(e, resolvedAt);
                            });
    }

    void onConnected(boost::system::error_code ec, double resolvedAt)
    {
        if (ec)
            return finish(failure(ec));
        m_report.add("probe_tcp_connect_duration_seconds", secondsSinceStart() - resolvedAt);
        if (m_options.send.empty())
            return readBanner();
        m_phase = "sending";
        asio::async_write(m_socket, asio::buffer(m_options.send),
                          [self = shared_from_this()](boost::system::error_code e, std::size_t) {
                              if (e)
                                  return self->finish(self->failure(e));
                              self->readBanner();
                          });
    }

    void readBanner()
    {
        if (m_options.expectBanner.empty())
            return finish({});
        if (m_received.find(m_options.expectBanner) != std::string::npos)
            return finish({});
        if (m_received.size() >= TcpProbe::kMaxBannerBytes)
            return finish("no \"" + printable(m_options.expectBanner) + "\" in the first " +
                          std::to_string(TcpProbe::kMaxBannerBytes / 1024) + " KiB received");
        m_phase = "waiting for the banner";
        m_socket.async_read_some(asio::buffer(m_chunk), [self = shared_from_this()](boost::system::error_code e,
                                                                                   std::size_t n) {
            self->m_received.append(self->m_chunk.data(), n);
            if (e == asio::error::eof)
                return self->finish(self->m_received.find(self->m_options.expectBanner) != std::string::npos
                                        ? std::string()
                                        : "connection closed without the expected banner \"" +
                                              printable(self->m_options.expectBanner) + "\"; got \"" +
                                              printable(self->m_received) + "\"");
            if (e)
                return self->finish(self->failure(e));
            self->readBanner();
        });
    }

    void finish(std::string failure)
    {
        m_timer.cancel();
        boost::system::error_code ignored;
        m_socket.close(ignored);
        if (!m_done)
            return;
        m_report.add("probe_duration_seconds", secondsSinceStart());
        auto done = std::move(m_done);
        done(m_report.finishCheck(std::move(failure)));
    }

    const TargetConfig &m_target; // the probe outlives the run (Probe contract)
    const TcpOptions &m_options;  // m_target's
    ProbeReport m_report;
    std::function<void(ProbeOutcome)> m_done;
    asio::strand<asio::io_context::executor_type> m_strand;
    NameResolver &m_resolver;
    tcp::socket m_socket;
    asio::steady_timer m_timer;
    SteadyClock::time_point m_started;
    std::string m_phase;
    std::string m_received;
    std::array<char, 4096> m_chunk{};
    bool m_timedOut = false;
    bool m_resolving = false;
    unsigned short m_port = 0;
};

} // namespace

TcpProbe::TcpProbe(TargetConfig target, IoRuntime &runtime, NameResolver &resolver)
    : m_target(std::move(target)), m_runtime(runtime), m_resolver(resolver)
{
}

void TcpProbe::run(std::int64_t startMs, std::function<void(ProbeOutcome)> done)
{
    auto check = std::make_shared<TcpCheck>(ioContext(m_runtime), m_resolver, m_target, startMs, std::move(done));
    asio::post(check->strandExecutor(), [check] { check->start(); });
}

} // namespace pulse
