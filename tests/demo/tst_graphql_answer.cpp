// GraphqlAnswer over a fixed snapshot: exact response bodies for valid queries, GraphQL errors with
// line/column, and HTTP 400 for bodies that are not GraphQL requests.
#include "demo/graphql_answer.h"
#include "demo/graphql_parser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pulse::demo;

namespace {

DemoSnapshot fixedSnapshot()
{
    DemoSnapshot s;
    s.atMs = 1'800'000'000'000;
    s.version = "1.4.2";
    s.uptimeSeconds = 3600.5;
    s.requestsTotal = 1000;
    s.serverErrors = 25;
    s.activeUsers = 42;
    s.queueDepth = 7;
    return s;
}

QByteArray bytes(const std::string &text)
{
    return QByteArray::fromStdString(text);
}

/// requestBody wraps a query in a JSON request the way clients send it.
std::string requestBody(const QString &query)
{
    QJsonObject request;
    request.insert(QStringLiteral("query"), query);
    return QJsonDocument(request).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

class TstGraphqlAnswer : public QObject {
    Q_OBJECT
private slots:
    void queries_data();
    void queries();
    void requestErrors_data();
    void requestErrors();
    void operationName();
    void degradedHealth();
    void deepNestingIsAnError();
    void brokenUtf8IsAnError();
    void parserKeepsAliasLocation();
};

void TstGraphqlAnswer::queries_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("shorthand") << QStringLiteral("{ stats { activeUsers } }")
                               << QByteArray(R"({"data":{"stats":{"activeUsers":42}}})");
    QTest::newRow("named query with aliases")
        << QStringLiteral(
               "query Dash { s: stats { users: activeUsers, depth: queueDepth } h: health { status uptimeSeconds } }")
        << QByteArray(R"({"data":{"s":{"users":42,"depth":7},"h":{"status":"ok","uptimeSeconds":3600.5}}})");
    QTest::newRow("comments, commas, new lines")
        << QStringLiteral("# dashboard\n{\n  stats { requestsTotal, errorRatio } # trailing\n,,}\n")
        << QByteArray(R"({"data":{"stats":{"requestsTotal":1000,"errorRatio":0.025}}})");
    QTest::newRow("selection order kept")
        << QStringLiteral("{ health { uptimeSeconds status } stats { queueDepth activeUsers } }")
        << QByteArray(
               R"({"data":{"health":{"uptimeSeconds":3600.5,"status":"ok"},"stats":{"queueDepth":7,"activeUsers":42}}})");
    QTest::newRow("__typename") << QStringLiteral("{ __typename stats { kind: __typename } }")
                                << QByteArray(R"({"data":{"__typename":"Query","stats":{"kind":"Stats"}}})");
    QTest::newRow("repeated fields merge")
        << QStringLiteral("{ stats { activeUsers } stats { queueDepth activeUsers } }")
        << QByteArray(R"({"data":{"stats":{"activeUsers":42,"queueDepth":7}}})");
    QTest::newRow("variables declared, unused")
        << QStringLiteral("query Q($window: String = \"5m\", $n: [Int!]!) { stats { activeUsers } }")
        << QByteArray(R"({"data":{"stats":{"activeUsers":42}}})");

    QTest::newRow("unknown field")
        << QStringLiteral("{ stats { foo } }")
        << QByteArray(
               R"({"errors":[{"message":"Cannot query field \"foo\" on type \"Stats\".","locations":[{"line":1,"column":11}]}]})");
    QTest::newRow("unknown field on a later line")
        << QStringLiteral("query {\n  stats {\n    activeUsers\n    bogus\n  }\n}")
        << QByteArray(
               R"({"errors":[{"message":"Cannot query field \"bogus\" on type \"Stats\".","locations":[{"line":4,"column":5}]}]})");
    QTest::newRow("unknown root field")
        << QStringLiteral("{ nope }")
        << QByteArray(
               R"({"errors":[{"message":"Cannot query field \"nope\" on type \"Query\".","locations":[{"line":1,"column":3}]}]})");
    QTest::newRow("syntax: unexpected end")
        << QStringLiteral("{ stats { activeUsers }")
        << QByteArray(
               R"({"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":24}]}]})");
    QTest::newRow("syntax: bad character")
        << QStringLiteral("{ stats { % } }")
        << QByteArray(
               R"({"errors":[{"message":"Syntax Error: Unexpected character: \"%\".","locations":[{"line":1,"column":11}]}]})");
    QTest::newRow("syntax: empty selection")
        << QStringLiteral("{ }")
        << QByteArray(
               R"({"errors":[{"message":"Syntax Error: Expected Name, found \"}\".","locations":[{"line":1,"column":3}]}]})");
    QTest::newRow("syntax: not an operation")
        << QStringLiteral("stats { activeUsers }")
        << QByteArray(
               R"({"errors":[{"message":"Syntax Error: Unexpected Name \"stats\".","locations":[{"line":1,"column":1}]}]})");
    QTest::newRow("syntax: empty document")
        << QStringLiteral("  # nothing\n")
        << QByteArray(
               R"({"errors":[{"message":"Syntax Error: Unexpected <EOF>.","locations":[{"line":2,"column":1}]}]})");
    QTest::newRow("scalar with sub-selection")
        << QStringLiteral("{ stats { activeUsers { x } } }")
        << QByteArray(
               R"({"errors":[{"message":"Field \"activeUsers\" must not have a selection since type \"Int\" has no subfields.","locations":[{"line":1,"column":11}]}]})");
    QTest::newRow("object without sub-selection")
        << QStringLiteral("{ stats }")
        << QByteArray(
               R"({"errors":[{"message":"Field \"stats\" of type \"Stats\" must have a selection of subfields. Did you mean \"stats { ... }\"?","locations":[{"line":1,"column":3}]}]})");
    QTest::newRow("mutation")
        << QStringLiteral("mutation { stats { activeUsers } }")
        << QByteArray(
               R"({"errors":[{"message":"Schema is not configured to execute mutation operation.","locations":[{"line":1,"column":1}]}]})");
    QTest::newRow("alias conflict")
        << QStringLiteral("{ a: stats { activeUsers } a: health { status } }")
        << QByteArray(
               R"({"errors":[{"message":"Fields \"a\" conflict because \"stats\" and \"health\" are different fields. Use different aliases on the fields to fetch both if this was intentional.","locations":[{"line":1,"column":3},{"line":1,"column":28}]}]})");
    QTest::newRow("columns count code points")
        << QStringLiteral("{ stats(x: \"\u00e9\u00e9\u00e9\") { nope } }")
        << QByteArray(
               R"({"errors":[{"message":"Unknown argument \"x\" on field \"Query.stats\".","locations":[{"line":1,"column":9}]},{"message":"Cannot query field \"nope\" on type \"Stats\".","locations":[{"line":1,"column":21}]}]})");
    QTest::newRow("fragments unsupported")
        << QStringLiteral("{ ...F } fragment F on Query { stats { activeUsers } }")
        << QByteArray(
               R"({"errors":[{"message":"Fragments are not supported by this server.","locations":[{"line":1,"column":3}]}]})");
    QTest::newRow("several operations, no name")
        << QStringLiteral("query A { stats { activeUsers } } query B { health { status } }")
        << QByteArray(
               R"({"errors":[{"message":"Must provide operation name if query contains multiple operations."}]})");
}

void TstGraphqlAnswer::queries()
{
    QFETCH(QString, query);
    QFETCH(QByteArray, expected);
    const HttpAnswer answer = GraphqlAnswer(fixedSnapshot()).answer(requestBody(query));
    QCOMPARE(bytes(answer.body), expected);
    QCOMPARE(answer.status, 200);
    QCOMPARE(bytes(answer.contentType), QByteArray("application/json"));
    QJsonParseError error;
    QJsonDocument::fromJson(bytes(answer.body), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
}

void TstGraphqlAnswer::requestErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not JSON") << QByteArray("query { stats { activeUsers } }");
    QTest::newRow("empty body") << QByteArray("");
    QTest::newRow("array") << QByteArray(R"([{"query":"{ stats { activeUsers } }"}])");
    QTest::newRow("no query") << QByteArray(R"({"variables":{}})");
    QTest::newRow("query not a string") << QByteArray(R"({"query":42})");
    QTest::newRow("variables not an object") << QByteArray(R"({"query":"{ stats { activeUsers } }","variables":"x"})");
    QTest::newRow("operationName not a string")
        << QByteArray(R"({"query":"{ stats { activeUsers } }","operationName":7})");
}

void TstGraphqlAnswer::requestErrors()
{
    QFETCH(QByteArray, body);
    const HttpAnswer answer = GraphqlAnswer(fixedSnapshot()).answer(body.toStdString());
    QCOMPARE(answer.status, 400);
    const QJsonDocument document = QJsonDocument::fromJson(bytes(answer.body));
    QVERIFY(document.isObject());
    const QJsonArray errors = document.object().value(QStringLiteral("errors")).toArray();
    QCOMPARE(errors.size(), 1);
    QVERIFY(!errors.at(0).toObject().value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY(!document.object().contains(QStringLiteral("data")));
}

void TstGraphqlAnswer::operationName()
{
    const GraphqlAnswer graphql(fixedSnapshot());
    const std::string query = "query A { stats { activeUsers } } query B { health { status } }";

    const std::string pickB = R"({"query":")" + query + R"(","operationName":"B","variables":null})";
    const QByteArray expectedB(R"({"data":{"health":{"status":"ok"}}})");
    HttpAnswer answer = graphql.answer(pickB);
    QCOMPARE(answer.status, 200);
    QCOMPARE(bytes(answer.body), expectedB);

    const std::string pickC = R"({"query":")" + query + R"(","operationName":"C"})";
    const QByteArray expectedC(R"({"errors":[{"message":"Unknown operation named \"C\"."}]})");
    answer = graphql.answer(pickC);
    QCOMPARE(bytes(answer.body), expectedC);

    const std::string nullName = R"({"query":"{ stats { queueDepth } }","operationName":null,"variables":{}})";
    const QByteArray expectedNull(R"({"data":{"stats":{"queueDepth":7}}})");
    answer = graphql.answer(nullName);
    QCOMPARE(bytes(answer.body), expectedNull);
}

void TstGraphqlAnswer::degradedHealth()
{
    DemoSnapshot snapshot = fixedSnapshot();
    snapshot.incident.kind = IncidentKind::ErrorBurst;
    const QByteArray expected(R"({"data":{"health":{"status":"degraded"}}})");
    const HttpAnswer answer = GraphqlAnswer(snapshot).answerQuery("{ health { status } }", "");
    QCOMPARE(bytes(answer.body), expected);
}

void TstGraphqlAnswer::deepNestingIsAnError()
{
    std::string query;
    for (int i = 0; i < 500; ++i)
        query += "{ a ";
    const HttpAnswer answer = GraphqlAnswer(fixedSnapshot()).answerQuery(query, "");
    QCOMPARE(answer.status, 200);
    QVERIFY2(answer.body.find("nested too deeply") != std::string::npos, answer.body.c_str());

    std::string value = "{ stats(x: ";
    for (int i = 0; i < 500; ++i)
        value += '[';
    QVERIFY(GraphqlAnswer(fixedSnapshot()).answerQuery(value, "").body.find("nested too deeply") != std::string::npos);
}

void TstGraphqlAnswer::brokenUtf8IsAnError()
{
    const QByteArray expected(
        R"({"errors":[{"message":"Syntax Error: Invalid UTF-8 sequence.","locations":[{"line":1,"column":3}]}]})");
    const HttpAnswer answer = GraphqlAnswer(fixedSnapshot()).answerQuery("{ \xff }", "");
    QCOMPARE(bytes(answer.body), expected);
}

void TstGraphqlAnswer::parserKeepsAliasLocation()
{
    const auto document = GraphqlParser::parse("{\n  users: stats { n: activeUsers }\n}");
    QVERIFY(document.has_value());
    QCOMPARE(document->operations.size(), std::size_t(1));
    const GraphqlField &field = document->operations[0].selections.at(0);
    QCOMPARE(QByteArray::fromStdString(field.alias), QByteArray("users"));
    QCOMPARE(QByteArray::fromStdString(field.name), QByteArray("stats"));
    QCOMPARE(field.location.line, 2);
    QCOMPARE(field.location.column, 3);
    QCOMPARE(field.selections.at(0).location.column, 18);
}

QTEST_GUILESS_MAIN(TstGraphqlAnswer)
#include "tst_graphql_answer.moc"
