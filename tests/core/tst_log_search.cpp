// LogSearch: the search box's language — words side by side (AND), OR, NOT / -, parentheses,
// "phrases" ("" is a quote), a trailing * — matched as case-insensitive substrings; errors with the
// offset; the FTS5 query that narrows a search through the trigram index without losing a row; and
// the terms a view highlights.
#include "core/logs/log_query_matcher.h"
#include "core/logs/log_search.h"

#include <QTest>

using namespace pulse;

class TstLogSearch : public QObject {
    Q_OBJECT
private slots:
    void matches_data();
    void matches();
    void errors_data();
    void errors();
    void ftsQueries_data();
    void ftsQueries();
    void highlightTerms();
    void termsThatAreNotUtf8();
    void containsIgnoringCase_data();
    void containsIgnoringCase();
};

void TstLogSearch::matches_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("match");
    QTest::newRow("empty") << ""
                           << "anything" << true;
    QTest::newRow("word, any case") << "TIMEOUT"
                                    << "read timeout after 5s" << true;
    QTest::newRow("a word is a substring") << "time"
                                           << "read timeout" << true;
    QTest::newRow("prefix star") << "time*"
                                 << "read timeout" << true;
    QTest::newRow("words are ANDed") << "read 5s"
                                     << "read timeout after 5s" << true;
    QTest::newRow("words are ANDed, one missing") << "read 6s"
                                                  << "read timeout after 5s" << false;
    QTest::newRow("explicit AND") << "read AND 5s"
                                  << "read timeout after 5s" << true;
    QTest::newRow("OR") << "panic OR fatal"
                        << "fatal: out of memory" << true;
    QTest::newRow("OR, neither") << "panic OR fatal"
                                 << "warn: low memory" << false;
    QTest::newRow("NOT") << "error NOT healthz"
                         << "error GET /healthz" << false;
    QTest::newRow("dash") << "error -healthz"
                          << "error GET /api" << true;
    QTest::newRow("a lone dash is a word") << "a - b"
                                           << "a - b" << true;
    QTest::newRow("phrase") << "\"connection reset\""
                            << "read: connection reset by peer" << true;
    QTest::newRow("phrase, words apart") << "\"connection reset\""
                                         << "connection was reset" << false;
    QTest::newRow("quote in a phrase") << R"("say ""hi""")"
                                       << R"(user said "say "hi"" twice)" << true;
    QTest::newRow("OR binds looser than AND") << "a b OR c"
                                              << "c" << true;
    QTest::newRow("parentheses") << "(a OR c) b"
                                 << "c" << false;
    QTest::newRow("parentheses, match") << "(a OR c) b"
                                        << "c b" << true;
    QTest::newRow("lower-case or is a word") << "panic or fatal"
                                             << "fatal" << false;
    QTest::newRow("NOT NOT") << "NOT NOT x"
                             << "x" << true;
    QTest::newRow("bytes beyond ASCII") << "ÖL"
                                        << "öl" << false; // ASCII letters only are folded
    QTest::newRow("bytes beyond ASCII, same case") << "größe"
                                                   << "die größe ist" << true;
}

void TstLogSearch::matches()
{
    QFETCH(QString, search);
    QFETCH(QString, line);
    QFETCH(bool, match);
    const auto s = LogSearch::parse(search.toStdString());
    QVERIFY2(s, s ? "" : s.error().message.c_str());
    QCOMPARE(s->matches(line.toStdString()), match);
}

void TstLogSearch::errors_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QString>("error");
    QTest::newRow("unclosed quote") << "a \"b c"
                                    << "unclosed '\"' at offset 2";
    QTest::newRow("unclosed parenthesis") << "(a OR b"
                                          << "unclosed '(' at offset 0";
    QTest::newRow("stray parenthesis") << "a)"
                                       << "unexpected ')' at offset 1";
    QTest::newRow("OR without a left side") << "OR b"
                                            << "expected a word at offset 0";
    QTest::newRow("NOT without an operand") << "a NOT"
                                            << "expected a word at offset 5";
    QTest::newRow("too deep") << QString(100, QLatin1Char('(')) + QStringLiteral("a") << "nested too deeply";
}

void TstLogSearch::errors()
{
    QFETCH(QString, search);
    QFETCH(QString, error);
    const auto s = LogSearch::parse(search.toStdString());
    QVERIFY(!s);
    QVERIFY2(QString::fromStdString(s.error().message).contains(error), s.error().message.c_str());
}

void TstLogSearch::ftsQueries_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QString>("fts"); // "-": the index cannot narrow it
    QTest::newRow("word") << "Login"
                          << R"(("log" AND "ogi" AND "gin"))";
    QTest::newRow("short word") << "#7"
                                << "-";
    QTest::newRow("AND drops a short term") << "login #7"
                                            << R"((("log" AND "ogi" AND "gin")))";
    QTest::newRow("OR") << "abc OR xyz"
                        << R"((("abc") OR ("xyz")))";
    QTest::newRow("OR with a short side") << "abc OR xy"
                                          << "-";
    QTest::newRow("NOT narrows nothing") << "abc -xyz"
                                         << R"((("abc")))";
    QTest::newRow("NOT alone") << "NOT abc"
                               << "-";
    QTest::newRow("quote doubled") << R"("a""bc")"
                                   << R"(("a""b" AND """bc"))";
    // The index holds words: no trigram spans a blank, and a word under three characters adds none.
    QTest::newRow("phrase of words") << R"("GET /api x")"
                                     << R"(("get" AND "/ap" AND "api"))";
    QTest::newRow("phrase of short words") << R"("a b c d")"
                                           << "-";
}

void TstLogSearch::ftsQueries()
{
    QFETCH(QString, search);
    QFETCH(QString, fts);
    const auto s = LogSearch::parse(search.toStdString());
    QVERIFY(s);
    const auto q = s->ftsQuery();
    QCOMPARE(q ? QString::fromStdString(*q) : QStringLiteral("-"), fts);
}

void TstLogSearch::highlightTerms()
{
    const auto s = LogSearch::parse("Timeout OR (\"Conn Reset\" -healthz)");
    QVERIFY(s);
    QCOMPARE(s->highlightTerms(), (std::vector<std::string>{"timeout", "conn reset"}));
}

void TstLogSearch::termsThatAreNotUtf8()
{
    // A Latin-1 byte SQLite would count as a character of its own: no index narrowing (its
    // "trigrams" would not be SQLite's), matched on every line, found all the same.
    const auto latin1 = LogSearch::parse(std::string("25\xb0"
                                                     "C"));
    QVERIFY(latin1);
    QVERIFY(!latin1->ftsQuery());
    QVERIFY(latin1->matches(std::string("it is 25\xb0"
                                        "C outside")));
}

QTEST_APPLESS_MAIN(TstLogSearch)
void TstLogSearch::containsIgnoringCase_data()
{
    QTest::addColumn<QByteArray>("haystack");
    QTest::addColumn<QByteArray>("needle"); // lower case, as the search passes it
    QTest::addColumn<bool>("found");
    QTest::newRow("start") << QByteArray("okhttp/4.12") << QByteArray("okhttp") << true;
    QTest::newRow("end") << QByteArray("agent okHttp") << QByteArray("okhttp") << true;
    QTest::newRow("upper first") << QByteArray("OKHTTP") << QByteArray("okhttp") << true;
    QTest::newRow("both cases before") << QByteArray("oOkKoK-ok") << QByteArray("ok ") << false;
    QTest::newRow("overlapping candidates") << QByteArray("aaAab") << QByteArray("aab") << true;
    QTest::newRow("upper candidate after lower ones") << QByteArray("ax ax AB") << QByteArray("ab") << true;
    QTest::newRow("digits") << QByteArray("GET /api/orders/4242 HTTP") << QByteArray("4242") << true;
    QTest::newRow("cut at the end") << QByteArray("x424") << QByteArray("4242") << false;
    QTest::newRow("longer than the line") << QByteArray("ok") << QByteArray("okhttp") << false;
    QTest::newRow("empty needle") << QByteArray("") << QByteArray("") << true;
    QTest::newRow("not ASCII, byte-exact") << QByteArray("caf\xC3\xA9 CAF\xC3\x89") << QByteArray("f\xc3\x89") << true;
    QTest::newRow("not ASCII is not folded") << QByteArray("CAF\xC3\xA9") << QByteArray("f\xc3\x89") << false;
    QTest::newRow("NUL bytes") << QByteArray("a\0b\0OK", 6) << QByteArray("\0ok", 3) << true;
}

void TstLogSearch::containsIgnoringCase()
{
    QFETCH(QByteArray, haystack);
    QFETCH(QByteArray, needle);
    QFETCH(bool, found);
    const std::string_view h(haystack.constData(), std::size_t(haystack.size()));
    const std::string_view n(needle.constData(), std::size_t(needle.size()));
    QCOMPARE(containsIgnoringAsciiCase(h, n), found);
}

#include "tst_log_search.moc"
