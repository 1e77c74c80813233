// Tests for Secret and expandEnvReferences (core/config/secret.h).
#include "core/config/secret.h"

#include <QDebug>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <map>
#include <sstream>
#include <type_traits>

using pulse::Secret;

// The type itself must not offer a way to the value other than reveal().
static_assert(!std::is_convertible_v<Secret, std::string>);
static_assert(!std::is_convertible_v<Secret, std::string_view>);
static_assert(!std::is_convertible_v<Secret, const char *>);

class TstSecret : public QObject {
    Q_OBJECT

private slots:
    void printsRedacted();
    void revealsInlineValue();
    void revealsFileWithoutTrailingNewline();
    void missingFileIsAnError();
    void expands_data();
    void expands();
    void expansionErrorsNameTheVariableOnly();
    void credentialNames_data();
    void credentialNames();
    void urlSecretsAreRedacted_data();
    void urlSecretsAreRedacted();
};

namespace {

pulse::EnvLookup fakeEnv(std::map<std::string, std::string> vars)
{
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        const auto it = vars.find(std::string(name));
        if (it == vars.end())
            return std::nullopt;
        return it->second;
    };
}

} // namespace

void TstSecret::printsRedacted()
{
    const Secret secret = Secret::fromValue("hunter2-token");
    std::ostringstream os;
    os << secret;
    QCOMPARE(os.str(), std::string("<secret>"));
    QString debugText;
    QDebug(&debugText).nospace() << secret;
    QCOMPARE(debugText, QStringLiteral("<secret>"));
    QVERIFY(secret.isSet());
    QVERIFY(!secret.isFile());
    QVERIFY(!Secret().isSet());
}

void TstSecret::revealsInlineValue()
{
    const auto value = Secret::fromValue("hunter2-token").reveal();
    QVERIFY(value.has_value());
    QCOMPARE(*value, std::string("hunter2-token"));
}

void TstSecret::revealsFileWithoutTrailingNewline()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("token")).toStdString();
    std::ofstream(path) << "file-token\n";
    const Secret secret = Secret::fromFile(path);
    QVERIFY(secret.isFile());
    QCOMPARE(secret.filePath(), path);
    const auto value = secret.reveal();
    QVERIFY(value.has_value());
    QCOMPARE(*value, std::string("file-token"));
    // Read at each reveal, so a rotated token is seen.
    std::ofstream(path) << "rotated\n";
    QCOMPARE(*secret.reveal(), std::string("rotated"));
}

void TstSecret::missingFileIsAnError()
{
    const auto value = Secret::fromFile("/nonexistent/pulse-token").reveal();
    QVERIFY(!value.has_value());
    QVERIFY(QString::fromStdString(value.error().message).contains(QStringLiteral("/nonexistent/pulse-token")));
}

void TstSecret::expands_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("whole value") << "${TOKEN}"
                                 << "abc123";
    QTest::newRow("embedded") << "Bearer ${TOKEN}!"
                              << "Bearer abc123!";
    QTest::newRow("two variables") << "${USER_NAME}:${TOKEN}"
                                   << "ops:abc123";
    QTest::newRow("escaped dollar") << "pa$$word"
                                    << "pa$word";
    QTest::newRow("escaped reference") << "$${TOKEN}"
                                       << "${TOKEN}";
    QTest::newRow("lone dollar") << "a$b"
                                 << "a$b";
    QTest::newRow("trailing dollar") << "ab$"
                                     << "ab$";
    QTest::newRow("empty value") << "${EMPTY}"
                                 << "";
    QTest::newRow("no references") << "plain"
                                   << "plain";
}

void TstSecret::expands()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto env = fakeEnv({{"TOKEN", "abc123"}, {"USER_NAME", "ops"}, {"EMPTY", ""}});
    const auto result = pulse::expandEnvReferences(text.toStdString(), env);
    QVERIFY2(result.has_value(), result ? "" : result.error().message.c_str());
    QCOMPARE(QString::fromStdString(*result), expected);
}

void TstSecret::expansionErrorsNameTheVariableOnly()
{
    const auto env = fakeEnv({});
    auto unset = pulse::expandEnvReferences("${PROM_TOKEN}", env);
    QVERIFY(!unset);
    QCOMPARE(unset.error().message, std::string("environment variable PROM_TOKEN is not set"));

    auto unterminated = pulse::expandEnvReferences("${PROM_TOKEN", env);
    QVERIFY(!unterminated);
    QVERIFY(QString::fromStdString(unterminated.error().message).contains(QStringLiteral("unterminated")));

    // A token pasted between the braces is not a variable name and must not be echoed.
    auto pasted = pulse::expandEnvReferences("${s3cr3t-t0ken.value}", env);
    QVERIFY(!pasted);
    QVERIFY(!QString::fromStdString(pasted.error().message).contains(QStringLiteral("s3cr3t")));
}

void TstSecret::credentialNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("credential");
    for (const char *yes : {"Authorization", "proxy-authorization", "Cookie", "X-Auth-Key", "X-Auth-Token",
                            "Ocp-Apim-Subscription-Key", "X-API-Key", "DD-API-KEY", "apikey", "access_key",
                            "X-Session-Id", "X-Amz-Signature", "bearer_token", "password_file", "X-Credentials",
                            "client_secret", "key"})
        QTest::newRow(yes) << yes << true;
    for (const char *no : {"Accept", "X-Scope", "X-Tenant", "Content-Type", "User-Agent", "keyboard", "monkey-see",
                           "sample_limit", "url", "X-Request-Id", "basic_auth", "author"})
        QTest::newRow(no) << no << false;
}

void TstSecret::credentialNames()
{
    QFETCH(QString, name);
    QFETCH(bool, credential);
    QCOMPARE(pulse::looksLikeCredentialName(name.toStdString()), credential);
}

void TstSecret::urlSecretsAreRedacted_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain") << "https://h:9/metrics" << "https://h:9/metrics";
    QTest::newRow("user-info") << "https://bob:pw@h/m" << "https://<secret>@h/m";
    QTest::newRow("token in the query") << "https://h/m?token=abc&x=1" << "https://h/m?token=<secret>&x=1";
    QTest::newRow("several, with a fragment")
        << "http://h/m?access_token=a&api_key=b&sig=c&page=2#top" << "http://h/m?access_token=<secret>&api_key=<secret>&sig=<secret>&page=2#top";
    QTest::newRow("names are case-insensitive") << "http://h/?X-Amz-Signature=f00&Password=p"
                                                << "http://h/?X-Amz-Signature=<secret>&Password=<secret>";
    QTest::newRow("no value, empty parts") << "http://h/?token&&key=" << "http://h/?token&&key=<secret>";
    QTest::newRow("an @ in the query is not user-info") << "http://h/?email=a@b.c" << "http://h/?email=a@b.c";
    QTest::newRow("both") << "https://u:p@h/?auth=1" << "https://<secret>@h/?auth=<secret>";
}

void TstSecret::urlSecretsAreRedacted()
{
    QFETCH(QString, url);
    QFETCH(QString, shown);
    QCOMPARE(QString::fromStdString(pulse::redactUrlSecrets(url.toStdString())), shown);
}

QTEST_APPLESS_MAIN(TstSecret)
#include "tst_secret.moc"
