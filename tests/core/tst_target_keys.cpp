// One key table per target kind (core/config/target_config.h): the loader accepts exactly those keys,
// the dump writes only those keys (and can write every one of them), and docs/config.md lists them
// with the same required/optional split — so none of the three can drift from the others.
#include "core/config/config_loader.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <set>

using namespace pulse;

class TstTargetKeys : public QObject {
    Q_OBJECT
private slots:
    void everyKindHasATable();
    void dumpWritesTheKeysOfItsKind();
    void loaderRefusesAnotherKindsKey();
    void documentListsTheSameKeys();
};

namespace {

using KeySet = std::set<std::string>;

KeySet names(std::span<const TargetKey> keys, std::optional<bool> required = std::nullopt)
{
    KeySet out;
    for (const TargetKey &k : keys)
        if (!required || k.required == *required)
            out.insert(std::string(k.name));
    return out;
}

HttpTargetOptions fullHttp(int auth)
{
    HttpTargetOptions h;
    h.url = "https://127.0.0.1:9/x";
    h.headers = {{"X-Scope", "blue"}};
    h.secretHeaders = {"X-Scope"};
    h.tls = TlsConfig{true, "/etc/ca.pem", "api.internal", true};
    // bearer_token, bearer_token_file and basic_auth exclude one another: one of them per dump.
    if (auth == 0)
        h.bearerToken = Secret::fromValue("t");
    else if (auth == 1)
        h.bearerToken = Secret::fromFile("/run/token");
    else
        h.basicAuth = BasicAuth{"bob", Secret::fromValue("p")};
    return h;
}

HttpExpectations fullExpect()
{
    return HttpExpectations{{200}, "ok", "^ok", {{"/status", "ok"}}, std::chrono::milliseconds(500)};
}

/// fullOptions sets every option a target of `kind` has (auth picks one of the exclusive credentials).
TargetOptions fullOptions(TargetKind kind, int auth)
{
    TargetOptions options = optionsFor(kind);
    std::visit(
        [&](auto &o) {
            if constexpr (requires { o.http; })
                o.http = fullHttp(auth);
            if constexpr (requires { o.method; })
                o.method = "PUT";
            if constexpr (requires { o.body; })
                o.body = "{}";
            if constexpr (requires { o.expect; })
                o.expect = fullExpect();
            if constexpr (requires { o.extract; })
                o.extract = {{"queue_depth", "/queue/depth"}};
            if constexpr (requires { o.query; })
                o.query = "{ up }";
            if constexpr (requires { o.variables; })
                o.variables = QJsonObject{{QStringLiteral("n"), 1}};
            if constexpr (requires { o.address; }) {
                o.address = "127.0.0.1:5432";
                o.send = "PING\r\n";
                o.expectBanner = "+PONG";
            }
            if constexpr (requires { o.format; }) {
                o.path = "/var/log/app.log";
                o.format = LogFormat::Regex;
                o.pattern = R"re(^(?<time>\S+) (?<level>\w+) (?<message>.*)$)re";
                o.multiline = false;
                o.startPattern = R"re(^\d{4}-)re";
                o.metrics = {LogMetricRule{"app_took_seconds", R"re(took (?<s>[0-9.]+)s)re", "s",
                                           LogMetricType::Histogram, {{"kind", "$s"}}, {0.1, 1}}};
            }
        },
        options);
    return options;
}

/// dumpedKeys are the keys of the one target in a dump (its mapping's own keys, not nested ones).
KeySet dumpedKeys(const std::string &dump)
{
    KeySet keys;
    static const QRegularExpression key(QStringLiteral("^  (?:- |  )([a-z_0-9]+):"));
    bool inTargets = false;
    for (const QString &line : QString::fromStdString(dump).split(QLatin1Char('\n'))) {
        if (!line.startsWith(QLatin1Char(' ')))
            inTargets = line.startsWith(QLatin1String("targets:"));
        else if (const auto m = key.match(line); inTargets && m.hasMatch())
            keys.insert(m.captured(1).toStdString());
    }
    return keys;
}

QString text(const KeySet &keys)
{
    QStringList out;
    for (const auto &k : keys)
        out << QString::fromStdString(k);
    return out.join(QStringLiteral(", "));
}

} // namespace

void TstTargetKeys::everyKindHasATable()
{
    for (std::size_t i = 0; i < targetKindNames().size(); ++i) {
        const auto kind = static_cast<TargetKind>(i);
        QCOMPARE(optionsFor(kind).index(), i);
        const auto keys = targetKeys(kind);
        QCOMPARE(names(keys).size(), keys.size()); // no key twice
        QVERIFY(names(keys, true).contains("name") && names(keys, true).contains("kind"));
        QCOMPARE(names(keys).contains("url"), usesHttp(kind));
    }
}

void TstTargetKeys::dumpWritesTheKeysOfItsKind()
{
    for (std::size_t i = 0; i < targetKindNames().size(); ++i) {
        const auto kind = static_cast<TargetKind>(i);
        const KeySet table = names(targetKeys(kind));
        KeySet written;
        for (int auth = 0; auth < 3; ++auth) {
            Config config;
            TargetConfig t(fullOptions(kind, auth));
            t.name = "t";
            t.labels.set("team", "core");
            config.targets.push_back(t);
            const std::string dump = dumpConfig(config);
            const KeySet keys = dumpedKeys(dump);
            for (const auto &k : keys)
                QVERIFY2(table.contains(k), qPrintable(QStringLiteral("%1 writes '%2', not in its table")
                                                           .arg(QLatin1String(targetKindName(kind)), QString::fromStdString(k))));
            written.insert(keys.begin(), keys.end());
            // What the dump writes loads back as the same kind.
            const auto loaded = loadConfig(dump, "dump.yaml");
            QVERIFY2(loaded.has_value(), dump.c_str());
            QCOMPARE(loaded->targets.at(0).kind(), kind);
        }
        QVERIFY2(written == table, qPrintable(QLatin1String(targetKindName(kind)) + QStringLiteral(": table ") +
                                              text(table) + QStringLiteral("; dumped ") + text(written)));
    }
}

void TstTargetKeys::loaderRefusesAnotherKindsKey()
{
    KeySet all;
    for (std::size_t i = 0; i < targetKindNames().size(); ++i)
        for (const auto &k : names(targetKeys(static_cast<TargetKind>(i))))
            all.insert(k);
    for (std::size_t i = 0; i < targetKindNames().size(); ++i) {
        const auto kind = static_cast<TargetKind>(i);
        const KeySet own = names(targetKeys(kind));
        for (const auto &key : all) {
            if (own.contains(key))
                continue;
            const std::string yaml = "targets:\n  - name: t\n    kind: " + std::string(targetKindName(kind)) +
                                     "\n    " + key + ": x\n";
            const auto result = loadConfig(yaml, "k.yaml");
            QVERIFY(!result.has_value());
            const std::string expected = "key '" + key + "' does not apply to kind " + std::string(targetKindName(kind));
            bool found = false;
            for (const auto &d : result.error())
                found = found || d.message.find(expected) != std::string::npos;
            QVERIFY2(found, expected.c_str());
        }
    }
}

void TstTargetKeys::documentListsTheSameKeys()
{
    QFile doc(QStringLiteral(PULSE_SOURCE_DIR "/docs/config.md"));
    QVERIFY(doc.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(doc.readAll()).split(QLatin1Char('\n'));
    const auto header = lines.indexOf(QStringLiteral("| keys of | required | optional | what it does |"));
    QVERIFY2(header >= 0, "docs/config.md has no '| keys of | required | optional | what it does |' table");
    static const QRegularExpression quoted(QStringLiteral("`([^`]+)`"));
    auto keysIn = [](const QString &cell) {
        KeySet out;
        for (auto it = quoted.globalMatch(cell); it.hasNext();)
            out.insert(it.next().captured(1).toStdString());
        return out;
    };
    std::map<std::string, std::pair<KeySet, KeySet>> rows; // "keys of" cell → required, optional
    for (auto i = header + 2; i < lines.size() && lines[i].startsWith(QLatin1Char('|')); ++i) {
        const QStringList cells = lines[i].split(QLatin1Char('|'));
        QVERIFY2(cells.size() >= 5, qPrintable(lines[i]));
        rows[cells[1].trimmed().remove(QLatin1Char('`')).toStdString()] = {keysIn(cells[2]), keysIn(cells[3])};
    }
    auto check = [&](const std::string &row, std::span<const TargetKey> keys) {
        QVERIFY2(rows.contains(row), row.c_str());
        QCOMPARE(text(rows[row].first), text(names(keys, true)));
        QCOMPARE(text(rows[row].second), text(names(keys, false)));
    };
    check("every kind", commonTargetKeys());
    check("every HTTP kind", HttpTargetOptions::kKeys);
    for (std::size_t i = 0; i < targetKindNames().size(); ++i)
        std::visit([&](const auto &o) { check(std::string(targetKindName(o.kKind)), o.kKeys); },
                   optionsFor(static_cast<TargetKind>(i)));
    QCOMPARE(rows.size(), targetKindNames().size() + 2);
}

QTEST_GUILESS_MAIN(TstTargetKeys)
#include "tst_target_keys.moc"
