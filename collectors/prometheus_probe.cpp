// PrometheusProbe: one scrape = HTTP GET, parse, relabel (job/instance), report up & friends.
#include "collectors/prometheus_probe.h"

#include "collectors/http_client.h"
#include "collectors/probe_http_request.h"
#include "core/exposition/exposition_parser.h"

#include <chrono>

namespace pulse {

PrometheusProbe::~PrometheusProbe()
{
    if (m_live)
        m_live->change(m_liveCounted, 0);
}

PrometheusProbe::PrometheusProbe(TargetConfig target, HttpClient &http, std::shared_ptr<LiveSeries> live)
    : m_target(std::move(target)), m_http(http), m_instance(instanceLabel(options().http.url)),
      m_seriesBudget(options().seriesLimit), m_live(std::move(live))
{
    m_targetLabels = m_target.labels;
    m_targetLabels.set("job", m_target.name);
    m_targetLabels.set("instance", m_instance);
    m_cache = std::make_unique<ScrapeCache>(m_targetLabels, options().honorLabels);
    m_cache->setMaxFutureMs(std::chrono::duration_cast<std::chrono::milliseconds>(options().maxFuture).count());
}

void PrometheusProbe::run(std::int64_t startMs, std::function<void(ProbeOutcome)> done)
{
    auto request = httpRequestFor(m_target);
    if (!request) {
        done(finish(startMs, 0, std::unexpected(request.error())));
        return;
    }
    HttpRequest req = std::move(*request);
    req.headers.emplace_back("Accept", kAcceptHeader);
    req.headers.emplace_back("X-Prometheus-Scrape-Timeout-Seconds",
                             std::to_string(static_cast<double>(m_target.timeout.count()) / 1000.0));
    const auto t0 = std::chrono::steady_clock::now();
    m_http.fetch(std::move(req), [this, startMs, t0, done = std::move(done)](Result<HttpResponse> res) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (!res) {
            done(finish(startMs, seconds, std::unexpected(res.error())));
            return;
        }
        if (res->status != 200) {
            done(finish(startMs, seconds, fail("server returned HTTP status " + std::to_string(res->status))));
            return;
        }
        ParseLimits limits;
        limits.sampleLimit = options().sampleLimit;
        limits.labelLimit = options().labelLimit;
        limits.labelNameLengthLimit = options().labelNameLengthLimit;
        limits.labelValueLengthLimit = options().labelValueLengthLimit;
        limits.duplicates = DuplicateSeries::KeepFirst;
        // One parser per I/O thread, not per target: its tables (families, duplicate detection) are
        // sized by the largest payload it met and reset per parse; per target they were ~80 KB each
        // at node_exporter's size, 16 MB at 200 targets.
        thread_local ExpositionParser parser;
        m_cache->begin(startMs, m_seriesBudget.remaining(startMs));
        auto parsed = parser.parse(res->body, formatFromContentType(res->contentType), *m_cache, limits);
        // Series the cache took in count whether or not the scrape stands: they stay in it.
        m_seriesBudget.record(startMs, m_cache->newSeries());
        if (!parsed) {
            m_cache->discard();
            done(finish(startMs, seconds, std::unexpected(parsed.error())));
            return;
        }
        if (m_cache->overBudget()) {
            m_cache->discard();
            done(finish(startMs, seconds,
                        fail("series limit exceeded: the target brought in more than its series_limit of "
                             + std::to_string(options().seriesLimit)
                             + " new series within an hour (a label whose value changes every scrape?)"),
                        parsed->samples));
            return;
        }
        if (m_live) {
            // Each series of the payload once (repeats were dropped by the parser).
            const auto exposed = static_cast<std::int64_t>(parsed->samples - parsed->duplicates);
            if (!m_live->change(m_liveCounted, exposed)) {
                m_cache->discard();
                m_live->change(m_liveCounted, 0); // down: it holds no share until it fits again
                m_liveCounted = 0;
                done(finish(startMs, seconds,
                            fail("live series limit exceeded: with this target's " + std::to_string(exposed)
                                 + " series, all targets together would expose more than "
                                 + std::to_string(m_live->limit())),
                            parsed->samples));
                return;
            }
            m_liveCounted = exposed;
        }
        ProbeOutcome scraped;
        scraped.series = m_cache->finish(scraped.refSamples, scraped.seriesTableIsNew);
        scraped.duplicateSamples = parsed->duplicates;
        scraped.futureSamples = m_cache->futureSamples();
        scraped.ancientSamples = m_cache->ancientSamples();
        done(finish(startMs, seconds, std::move(scraped)));
    });
}

ProbeOutcome PrometheusProbe::finish(std::int64_t startMs, double durationSeconds, Result<ProbeOutcome> scraped,
                                     std::size_t linesOnFailure) const
{
    // The scraped samples already carry the target labels (ScrapeCache::finalLabels).
    ProbeOutcome out;
    if (scraped) {
        out = std::move(*scraped);
        out.health = TargetHealth::Up;
    } else {
        out.error = scraped.error().message;
        out.health = TargetHealth::Down;
    }
    // Every sample line, duplicates and future-dated ones included, as Prometheus counts it.
    const double scrapedCount = static_cast<double>(
        scraped ? out.refSamples.size() + out.duplicateSamples + out.futureSamples : linesOnFailure);
    auto report = [&](const char *metric, double value) {
        out.samples.push_back(Sample{metric, m_targetLabels, startMs, value});
    };
    report("up", scraped ? 1.0 : 0.0);
    report("scrape_duration_seconds", durationSeconds);
    report("scrape_samples_scraped", scrapedCount);
    return out;
}

} // namespace pulse
