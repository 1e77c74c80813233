// Save Config keeps the user's file: only the dashboards section changes; comments, ${VAR}
// references and everything else stay byte for byte. When that is impossible it falls back to the
// rendered config — never writing credentials as <secret>.
#include "app/pulseboard/config_saver.h"
#include "core/config/config_loader.h"

#include <QTest>

using namespace pulse;

namespace {

constexpr const char *kOriginal = R"(# Production watch list — edited by hand.
storage:
  path: /var/lib/pulse.db   # big disk

targets:
  # the API, token from the environment
  - name: api
    kind: prometheus
    url: https://api.internal:9464/metrics
    bearer_token: "${PULSE_TEST_TOKEN}"

dashboards:
  # old comment inside the section
  - name: Overview
    panels:
      - {title: Up, expr: up}

# Alerts below: keep this comment with them.
alerts:
  - {name: ApiDown, expr: 'up == 0', for: 30s}
)";

Config editedConfig(const std::string &text)
{
    auto cfg = loadConfig(text, "pulse.yaml");
    if (!cfg)
        qFatal("fixture does not load: %s", formatDiagnostic(cfg.error().front()).c_str());
    PanelConfig p;
    p.title = "Requests";
    p.exprs = {"sum(rate(http_requests_total[1m]))"};
    p.unit = "req/s";
    cfg->dashboards.front().panels.push_back(p);
    return *cfg;
}

} // namespace

class TstConfigSaver : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("PULSE_TEST_TOKEN", "s3cr3t-value"); }
    void editsOnlyTheDashboards();
    void appendsWhenThereAreNone();
    void columnZeroListItems();
    void flowStyleFallsBackOrRefuses();
    void noFileWritesTheWholeConfig();
};

void TstConfigSaver::editsOnlyTheDashboards()
{
    const std::string original = kOriginal;
    const Config config = editedConfig(original);
    auto saved = savedConfigText(config, original, "pulse.yaml");
    QVERIFY2(saved, saved ? "" : saved.error().message.c_str());
    const std::string &text = *saved;
    // Everything before the section and after it is untouched.
    const std::string head = original.substr(0, original.find("dashboards:"));
    const std::string tail = original.substr(original.find("# Alerts below"));
    QVERIFY(text.starts_with(head));
    QVERIFY(text.ends_with(tail));
    QVERIFY(text.find("${PULSE_TEST_TOKEN}") != std::string::npos);
    QVERIFY(text.find("s3cr3t-value") == std::string::npos);
    QVERIFY(text.find("<secret>") == std::string::npos);
    QVERIFY(text.find("old comment inside the section") == std::string::npos); // the section was rewritten
    auto reloaded = loadConfig(text, "pulse.yaml");
    QVERIFY(reloaded);
    QCOMPARE(reloaded->dashboards.front().panels.size(), std::size_t{2});
    QCOMPARE(reloaded->dashboards.front().panels[1].title, std::string("Requests"));
    QCOMPARE(reloaded->targets.front().http()->bearerToken.reveal().value_or(""), std::string("s3cr3t-value"));
}

void TstConfigSaver::appendsWhenThereAreNone()
{
    const std::string original = "# just targets\ntargets:\n  - {name: db, kind: tcp, address: 127.0.0.1:5432}";
    auto cfg = loadConfig(original, "x.yaml");
    QVERIFY(cfg);
    DashboardConfig d;
    d.name = "New";
    cfg->dashboards.push_back(d);
    auto saved = savedConfigText(*cfg, original, "x.yaml");
    QVERIFY(saved);
    QVERIFY(saved->starts_with(original + "\n"));
    QCOMPARE(loadConfig(*saved, "x.yaml")->dashboards.front().name, std::string("New"));
}

void TstConfigSaver::columnZeroListItems()
{
    const std::string original = "dashboards:\n- name: A\n  panels:\n  - {title: T, expr: up}\ntargets: []\n";
    auto cfg = loadConfig(original, "x.yaml");
    QVERIFY(cfg);
    cfg->dashboards.front().name = "B";
    auto saved = savedConfigText(*cfg, original, "x.yaml");
    QVERIFY(saved);
    QVERIFY(saved->ends_with("targets: []\n"));
    QVERIFY(saved->find("name: A") == std::string::npos);
    QCOMPARE(loadConfig(*saved, "x.yaml")->dashboards.size(), std::size_t{1});
}

void TstConfigSaver::flowStyleFallsBackOrRefuses()
{
    const std::string plain = "targets: []\ndashboards: [{name: A, panels: []}]\n";
    auto cfg = loadConfig(plain, "x.yaml");
    QVERIFY(cfg);
    auto saved = savedConfigText(*cfg, plain, "x.yaml");
    QVERIFY(saved); // rendered whole: nothing secret to lose
    QVERIFY(saved->find("storage:") != std::string::npos);

    const std::string secret =
        "targets:\n  - {name: a, kind: prometheus, url: 'http://127.0.0.1:1/m', bearer_token: '${PULSE_TEST_TOKEN}'}\n"
        "dashboards: [{name: A, panels: []}]\n";
    auto withSecret = loadConfig(secret, "x.yaml");
    QVERIFY(withSecret);
    auto refused = savedConfigText(*withSecret, secret, "x.yaml");
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.find("holds credentials") != std::string::npos, refused.error().message.c_str());
    QVERIFY(refused.error().message.find("s3cr3t") == std::string::npos);

    // A credential header (not a Secret) or a token in a URL would be rewritten as <secret> too.
    for (const std::string target : {"{name: a, kind: prometheus, url: 'http://127.0.0.1:1/m', headers: {X-Auth-Key: k3y}}",
                                     "{name: a, kind: prometheus, url: 'http://127.0.0.1:1/m?token=k3y'}"}) {
        const std::string text = "targets:\n  - " + target + "\ndashboards: [{name: A, panels: []}]\n";
        auto loaded = loadConfig(text, "x.yaml");
        QVERIFY2(loaded, text.c_str());
        auto kept = savedConfigText(*loaded, text, "x.yaml");
        QVERIFY2(!kept, kept ? kept->c_str() : "");
        QVERIFY(kept.error().message.find("k3y") == std::string::npos);
    }
}

void TstConfigSaver::noFileWritesTheWholeConfig()
{
    Config config;
    DashboardConfig d;
    d.name = "Demo";
    config.dashboards.push_back(d);
    auto saved = savedConfigText(config, std::nullopt, "x.yaml");
    QVERIFY(saved);
    QCOMPARE(*saved, dumpConfig(config));
}

QTEST_APPLESS_MAIN(TstConfigSaver)
#include "tst_config_saver.moc"
