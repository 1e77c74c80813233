// Parser tests: accepted expressions, precedence, and error messages with their columns.
#include "core/promql/parser.h"

#include <QTest>

using namespace pulse::promql;

class TestPromqlParser : public QObject {
    Q_OBJECT
private slots:
    void accepts_data();
    void accepts();
    void rejects_data();
    void rejects();
    void precedence();
    void selectorDetails();
    void modifiers();
    void unsupported();
    void limits_data();
    void limits();
    void deepestAcceptedExpressions();
};

void TestPromqlParser::accepts_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<int>("type");
    const int scalar = int(ValueType::Scalar);
    const int vector = int(ValueType::Vector);
    const int matrix = int(ValueType::Matrix);
    const int string = int(ValueType::String);
    QTest::newRow("number") << "12.34e6" << scalar;
    QTest::newRow("hex") << "0x1F" << scalar;
    QTest::newRow("inf") << "-Inf" << scalar;
    QTest::newRow("trailing dot") << "2." << scalar;
    QTest::newRow("string") << R"("a\"b")" << string;
    QTest::newRow("raw string") << "`a\\b`" << string;
    QTest::newRow("selector") << R"(http_requests{job="api", code!~"5..",})" << vector;
    QTest::newRow("colon name") << "job:rate5m:sum" << vector;
    QTest::newRow("name matcher only") << R"({__name__=~"a.+"})" << vector;
    QTest::newRow("range") << "foo[5m]" << matrix;
    QTest::newRow("range offset at") << "foo[1h30m] offset -5m @ 100" << matrix;
    QTest::newRow("subquery") << "rate(foo[5m])[30m:1m]" << matrix;
    QTest::newRow("subquery default step") << "foo[30m:]" << matrix;
    QTest::newRow("rate") << "rate(foo[5m])" << vector;
    QTest::newRow("aggregation by before") << "sum by (a, b) (foo)" << vector;
    QTest::newRow("aggregation without after") << "SUM(foo) WITHOUT (a)" << vector;
    QTest::newRow("topk") << "topk(3, foo)" << vector;
    QTest::newRow("count_values") << R"(count_values("v", foo))" << vector;
    QTest::newRow("group_left") << "a * on(x) group_left(y) b" << vector;
    QTest::newRow("ignoring group_right") << "a / ignoring(x) group_right b" << vector;
    QTest::newRow("bool scalar") << "1 == bool 2" << scalar;
    QTest::newRow("set ops") << "a and b or c unless d" << vector;
    QTest::newRow("at start") << "foo @ start()" << vector;
    QTest::newRow("label_join variadic") << R"(label_join(foo, "d", ",", "a", "b", "c"))" << vector;
    QTest::newRow("round optional") << "round(foo)" << vector;
    QTest::newRow("date without args") << "hour()" << vector;
    QTest::newRow("comment") << "foo # trailing comment" << vector;
    QTest::newRow("re2 flags and classes") << R"x(foo{a=~"(?i:ab)[]x](?P<n>c)+\\d"})x" << vector;
    QTest::newRow("keyword label names") << R"(foo{on="1", by="2"})" << vector;
}

void TestPromqlParser::accepts()
{
    QFETCH(QString, expr);
    QFETCH(int, type);
    auto ast = parse(expr.toStdString());
    QVERIFY2(ast.has_value(), ast ? "" : ast.error().message.c_str());
    QCOMPARE(int((*ast)->type()), type);
}

void TestPromqlParser::rejects_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << "" << "col 1: no expression found in input";
    QTest::newRow("unclosed brace") << R"(foo{a="b")" << "col 10: unexpected end of input";
    QTest::newRow("empty selector") << "{}" << "col 1: vector selector must contain at least one non-empty matcher";
    QTest::newRow("only empty matcher") << R"({a=""})" << "col 1: vector selector must contain at least one non-empty matcher";
    QTest::newRow("bad regex") << R"(foo{a=~"("})" << "col 8: invalid regular expression";
    QTest::newRow("lookahead is not RE2") << R"x(foo{a=~"(?=x)"})x" << "col 8: invalid regular expression";
    QTest::newRow("backreference is not RE2") << R"x(foo{a=~"(a)\\1"})x" << "col 8: invalid regular expression";
    QTest::newRow("rate of vector") << "rate(foo)"
                                    << "col 6: expected type range vector in call to function \"rate\", got instant vector";
    QTest::newRow("unknown function") << "foo_bar(1)" << "col 1: unknown function with name \"foo_bar\"";
    QTest::newRow("arg count") << "abs(a, b)" << "col 1: expected 1 argument(s) in call to \"abs\", got 2";
    QTest::newRow("scalar comparison") << "1 == 1" << "col 3: comparisons between scalars must use BOOL modifier";
    QTest::newRow("bool on arithmetic") << "a + bool b" << "col 3: bool modifier can only be used on comparison operators";
    QTest::newRow("set op scalar") << "a and 1" << "col 3: set operator \"and\" not allowed in binary scalar expression";
    QTest::newRow("grouping on set op") << "a and on(x) group_left b" << "col 3: no grouping allowed for \"and\" operation";
    QTest::newRow("matrix in binary") << "foo[5m] + 1" << "col 1: binary expression must contain only scalar and instant vector types";
    QTest::newRow("string in binary") << R"(1 + "a")" << "col 5: binary expression must contain only scalar and instant vector types";
    QTest::newRow("range on paren") << "(foo)[5m]" << "col 6: ranges only allowed for vector selectors";
    QTest::newRow("offset on call") << "abs(foo) offset 5m" << "col 10: offset modifier must be preceded by";
    QTest::newRow("double offset") << "foo offset 5m offset 1m" << "col 15: offset may not be set multiple times";
    QTest::newRow("bad duration") << "foo[5x]" << "col 5: bad number or duration syntax";
    QTest::newRow("number as range") << "foo[5]" << "col 5: unexpected number \"5\", expected duration";
    QTest::newRow("name twice") << R"(foo{__name__="bar"})" << "col 5: metric name must not be set twice";
    QTest::newRow("aggregation args") << "topk(foo)" << "col 5: wrong number of arguments for aggregate expression";
    QTest::newRow("aggregation of range") << "sum(foo[5m])" << "col 5: expected type instant vector in aggregation expression, got range vector";
    QTest::newRow("two by clauses") << "sum by (a) (foo) by (b)" << "col 18: aggregation may have only one by/without clause";
    QTest::newRow("trailing junk") << "foo bar" << "col 5: unexpected identifier \"bar\"";
    QTest::newRow("unterminated string") << R"(foo{a="b})" << "col 7: unterminated quoted string";
    QTest::newRow("bad escape") << R"("\q")" << "col 1: unknown escape sequence";
    QTest::newRow("second line") << "foo +\n  )" << "line 2, col 3: unexpected \")\"";
    QTest::newRow("subquery of scalar") << "time()[5m:1m]" << "col 1: subquery is only allowed on instant vector";
}

void TestPromqlParser::rejects()
{
    QFETCH(QString, expr);
    QFETCH(QString, message);
    auto ast = parse(expr.toStdString());
    QVERIFY(!ast.has_value());
    const QString actual = QString::fromStdString(ast.error().message);
    QVERIFY2(actual.startsWith(message), qPrintable(actual));
    QVERIFY(!isUnsupported(ast.error()));
}

void TestPromqlParser::precedence()
{
    // -2^2 is -(2^2); ^ is right-associative; unary minus binds like *.
    auto ast = parse("-2 ^ 3 ^ 2 * 4");
    QVERIFY(ast.has_value());
    const auto &mul = std::get<BinaryExpr>((*ast)->node);
    QCOMPARE(mul.op, BinOp::Mul);
    const auto &neg = std::get<UnaryExpr>(mul.lhs->node);
    const auto &pow = std::get<BinaryExpr>(neg.expr->node);
    QCOMPARE(pow.op, BinOp::Pow);
    QCOMPARE(std::get<BinaryExpr>(pow.rhs->node).op, BinOp::Pow);

    auto set = parse("a or b and c unless d");
    QVERIFY(set.has_value());
    const auto &orExpr = std::get<BinaryExpr>((*set)->node);
    QCOMPARE(orExpr.op, BinOp::Or);
    QCOMPARE(std::get<BinaryExpr>(orExpr.rhs->node).op, BinOp::Unless);

    auto cmp = parse("a + b > c * d");
    QVERIFY(cmp.has_value());
    QCOMPARE(std::get<BinaryExpr>((*cmp)->node).op, BinOp::Gtr);

    auto folded = parse("- - 1");
    QVERIFY(folded.has_value());
    QCOMPARE(std::get<NumberLiteral>((*folded)->node).value, 1.0);
}

void TestPromqlParser::selectorDetails()
{
    auto ast = parse(R"(foo{a="x\ny", b!~"z.*"} offset 5m @ 1.5)");
    QVERIFY(ast.has_value());
    const auto &vs = std::get<VectorSelector>((*ast)->node);
    QCOMPARE(QString::fromStdString(vs.name), QStringLiteral("foo"));
    QCOMPARE(vs.matchers.size(), std::size_t(3));
    QCOMPARE(QString::fromStdString(vs.matchers[1].value), QStringLiteral("x\ny"));
    QCOMPARE(vs.matchers[2].op, pulse::LabelMatcher::Op::NotRegex);
    QCOMPARE(vs.offsetMs, std::int64_t(300000));
    QCOMPARE(vs.at.timestampMs, std::int64_t(1500));
    QCOMPARE((*ast)->pos.start, std::size_t(0));
}

void TestPromqlParser::modifiers()
{
    auto ast = parse("a * on(x, y) group_left(z) b");
    QVERIFY(ast.has_value());
    const auto &b = std::get<BinaryExpr>((*ast)->node);
    QVERIFY(b.matching.on);
    QCOMPARE(b.matching.card, VectorMatching::Card::ManyToOne);
    QCOMPARE(b.matching.labels.size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(b.matching.include.at(0)), QStringLiteral("z"));

    auto agg = parse("count_values without (i) (\"v\", foo)");
    QVERIFY(agg.has_value());
    const auto &a = std::get<AggregateExpr>((*agg)->node);
    QVERIFY(a.without);
    QCOMPARE(a.op, AggOp::CountValues);
    QVERIFY(a.param != nullptr);
}

void TestPromqlParser::unsupported()
{
    auto ast = parse("histogram_count(foo)");
    QVERIFY(!ast.has_value());
    QCOMPARE(QString::fromStdString(ast.error().message),
             QStringLiteral("col 1: function \"histogram_count\" is not supported"));
    QVERIFY(isUnsupported(ast.error()));
}

namespace {

QString repeated(QLatin1String s, int n)
{
    return QString(s).repeated(n);
}

QString text(QLatin1String s)
{
    return QString(s);
}

} // namespace

void TestPromqlParser::limits_data()
{
    // Each would overflow the stack (parsing, or destroying the tree) without a limit; each is
    // refused with the limit named. The panel editor parses on every keystroke.
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("message");
    const QString nests = QStringLiteral("nests deeper than 1000 levels");
    QTest::newRow("100k parentheses") << repeated(QLatin1String("("), 100000) + text(QLatin1String("1")) + repeated(QLatin1String(")"), 100000) << nests;
    QTest::newRow("1+1+... 200k times") << repeated(QLatin1String("1+"), 200000) + text(QLatin1String("1")) << nests;
    QTest::newRow("or chain") << repeated(QLatin1String("up or "), 1500) + text(QLatin1String("up")) << nests;
    QTest::newRow("2^2^... (right-associative)") << repeated(QLatin1String("2^"), 100000) + text(QLatin1String("2")) << nests;
    QTest::newRow("100k unary minus") << repeated(QLatin1String("-"), 100000) + text(QLatin1String("1")) << nests;
    QTest::newRow("nested calls") << repeated(QLatin1String("abs("), 5000) + text(QLatin1String("up")) + repeated(QLatin1String(")"), 5000) << nests;
    // Each level is a call and a subquery: the tree passes 1000 nodes while the parser nests ~600 deep.
    QTest::newRow("stacked subqueries") << repeated(QLatin1String("max_over_time("), 600) + text(QLatin1String("up")) + repeated(QLatin1String("[1m:])"), 600)
                                        << nests;
    QTest::newRow("over 1 MiB") << text(QLatin1String("up{a=\"")) + QString(1 << 20, QLatin1Char('x')) + text(QLatin1String("\"}"))
                                << QStringLiteral("expression is 1048584 bytes long; the limit is 1024 KiB");
}

void TestPromqlParser::limits()
{
    QFETCH(QString, expr);
    QFETCH(QString, message);
    auto ast = parse(expr.toStdString());
    QVERIFY(!ast.has_value());
    QVERIFY2(QString::fromStdString(ast.error().message).contains(message), ast.error().message.c_str());
}

void TestPromqlParser::deepestAcceptedExpressions()
{
    // 998 parentheses around a literal: 999 nodes, 999 parseExpr calls.
    auto parens = parse((repeated(QLatin1String("("), 998) + text(QLatin1String("1")) + repeated(QLatin1String(")"), 998)).toStdString());
    QVERIFY2(parens.has_value(), parens ? "" : parens.error().message.c_str());
    QCOMPARE((*parens)->depth, 999u);
    // 999 additions: a left-deep chain of exactly kMaxExprDepth nodes.
    auto sum = parse((repeated(QLatin1String("1+"), 999) + text(QLatin1String("1"))).toStdString());
    QVERIFY2(sum.has_value(), sum ? "" : sum.error().message.c_str());
    QCOMPARE((*sum)->depth, kMaxExprDepth);
    QVERIFY(!parse((repeated(QLatin1String("1+"), 1000) + text(QLatin1String("1"))).toStdString()).has_value());
}

QTEST_APPLESS_MAIN(TestPromqlParser)
#include "tst_promql_parser.moc"
