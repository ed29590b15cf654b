// Line protocol escaping and point building, against the cases of InfluxDB's line protocol
// reference ("Special characters" and "Quoting" sections). The same kind of lines are read back
// through a real influxd in test_influx.
#include "influx/LineProtocol.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <ostream>

using namespace greenpulse::core::lineprotocol;

// Readable failure messages: gtest prints a QByteArray as a list of chars.
void PrintTo(const QByteArray &bytes, std::ostream *os)
{
    *os << '"' << bytes.toStdString() << '"';
}

namespace {
QString s(const char *utf8)
{
    return QString::fromUtf8(utf8);
}
} // namespace

TEST(LineProtocol, MeasurementEscapesCommasAndSpacesOnly)
{
    // Reference: wea\,ther and wea\ ther; an equals sign needs no escaping in a measurement.
    EXPECT_EQ(escapeMeasurement(s("wea,ther")), QByteArray("wea\\,ther"));
    EXPECT_EQ(escapeMeasurement(s("wea ther")), QByteArray("wea\\ ther"));
    EXPECT_EQ(escapeMeasurement(s("wea=ther")), QByteArray("wea=ther"));
    EXPECT_EQ(escapeMeasurement(s("gpu_power")), QByteArray("gpu_power"));
}

TEST(LineProtocol, KeysEscapeCommasEqualsAndSpaces)
{
    // Reference: location\ place=us\,midwest and temp\=rature.
    EXPECT_EQ(escapeKey(s("location place")), QByteArray("location\\ place"));
    EXPECT_EQ(escapeKey(s("us,midwest")), QByteArray("us\\,midwest"));
    EXPECT_EQ(escapeKey(s("temp=rature")), QByteArray("temp\\=rature"));
    EXPECT_EQ(escapeKey(s("a, b=c")), QByteArray("a\\,\\ b\\=c"));
    // Double quotes are literal in keys and tag values.
    EXPECT_EQ(escapeKey(s("\"quoted\"")), QByteArray("\"quoted\""));
}

TEST(LineProtocol, BackslashesAndNewlinesInKeys)
{
    // A backslash before an ordinary character is literal in every InfluxDB version.
    EXPECT_EQ(escapeKey(s("C:\\dir")), QByteArray("C:\\dir"));
    // Where it would form an escape sequence (at the end, before a delimiter or another
    // backslash) InfluxDB 1.x refuses the line or misreads it: written as '/'.
    EXPECT_EQ(escapeKey(s("end\\")), QByteArray("end/"));
    EXPECT_EQ(escapeKey(s("a\\=b")), QByteArray("a/\\=b"));
    EXPECT_EQ(escapeMeasurement(s("a\\,b")), QByteArray("a/\\,b"));
    EXPECT_EQ(escapeMeasurement(s("a\\=b")), QByteArray("a\\=b"));
    EXPECT_EQ(escapeKey(s("a\\\\b")), QByteArray("a/\\b"));
    // Newlines are not allowed: they become (escaped) spaces.
    EXPECT_EQ(escapeKey(s("two\nlines")), QByteArray("two\\ lines"));
    EXPECT_EQ(escapeMeasurement(s("m\r\n")), QByteArray("m\\ \\ "));
}

TEST(LineProtocol, StringFieldsEscapeQuotesAndBackslashes)
{
    // Reference: temperature_str="too hot \"to handle\"" and "too hot\\cold".
    EXPECT_EQ(quoteStringField(s("too hot \"to handle\"")),
              QByteArray("\"too hot \\\"to handle\\\"\""));
    EXPECT_EQ(quoteStringField(s("too hot\\cold")), QByteArray("\"too hot\\\\cold\""));
    // Commas, spaces and equals signs need no escaping inside quotes.
    EXPECT_EQ(quoteStringField(s("a, b=c")), QByteArray("\"a, b=c\""));
    EXPECT_EQ(quoteStringField(s("")), QByteArray("\"\""));
    EXPECT_EQ(quoteStringField(s("line1\nline2")), QByteArray("\"line1\\nline2\""));
}

TEST(LineProtocol, Utf8PassesThrough)
{
    EXPECT_EQ(escapeKey(s("h\xc3\xb6st \xe2\x9a\xa1")), QByteArray("h\xc3\xb6st\\ \xe2\x9a\xa1"));
}

TEST(LineProtocol, PointWithSortedTagsAndTypedFields)
{
    const QByteArray line = Point(u"job energy")
                                .tag(u"zone", u"eu west")
                                .tag(u"host", u"gpu-01")
                                .tag(u"empty", u"")
                                .field(u"kwh", 1.5)
                                .field(u"count", qint64(42))
                                .field(u"note", QStringView(u"said \"hi\""))
                                .field(u"running", true)
                                .field(u"failed", false)
                                .timestamp(1700000000123456789LL)
                                .toLine();
    EXPECT_EQ(line, QByteArray("job\\ energy,host=gpu-01,zone=eu\\ west "
                               "kwh=1.5,count=42i,note=\"said \\\"hi\\\"\",running=true,"
                               "failed=false 1700000000123456789"));
}

TEST(LineProtocol, IntegersCarryTrailingI)
{
    EXPECT_EQ(Point(u"m").field(u"v", qint64(-7)).toLine(), QByteArray("m v=-7i"));
    EXPECT_EQ(Point(u"m").field(u"v", std::numeric_limits<qint64>::max()).toLine(),
              QByteArray("m v=9223372036854775807i"));
}

TEST(LineProtocol, DoublesRoundTripExactly)
{
    const double values[] = {
        0.1, 1.0 / 3.0, 123456.789012345678, 1e-300, 6.02214076e23, -2.5e-7, 1e21,
        0.0, 42.0,      3.141592653589793};
    for (const double v : values) {
        const QByteArray line = Point(u"m").field(u"v", v).toLine();
        ASSERT_TRUE(line.startsWith("m v=")) << line.constData();
        const QByteArray text = line.mid(4);
        EXPECT_FALSE(text.endsWith('i'));
        bool ok = false;
        EXPECT_EQ(text.toDouble(&ok), v) << text.constData();
        EXPECT_TRUE(ok);
    }
    EXPECT_EQ(Point(u"m").field(u"v", 0.1).toLine(), QByteArray("m v=0.1"));
}

TEST(LineProtocol, NonFiniteFieldsAndEmptyTagsAreSkipped)
{
    Point p(u"m");
    p.field(u"nan", std::nan("")).field(u"inf", std::numeric_limits<double>::infinity());
    EXPECT_FALSE(p.hasFields());
    EXPECT_TRUE(p.toLine().isEmpty());
    p.tag(u"", u"x").tag(u"k", u"").field(u"ok", 1.0);
    EXPECT_EQ(p.toLine(), QByteArray("m ok=1"));
}

TEST(LineProtocol, StringLiteralsNeedQStringView)
{
    // Pitfall of the agreed API: a u"" literal converts to bool (a standard conversion) before
    // QStringView (a user-defined one), so field(key, u"text") writes true. Wrap literals.
    EXPECT_EQ(Point(u"m").field(u"s", QStringView(u"text")).toLine(), QByteArray("m s=\"text\""));
    EXPECT_EQ(Point(u"m").field(u"s", QStringLiteral("text")).toLine(), QByteArray("m s=\"text\""));
}

TEST(LineProtocol, EscapedTagKeysAndFieldKeys)
{
    const QByteArray line = Point(u"m,1")
                                .tag(u"tag key", u"v=1,2")
                                .field(u"field key", QStringView(u"x"))
                                .field(u"f=g", qint64(1))
                                .toLine();
    EXPECT_EQ(line, QByteArray("m\\,1,tag\\ key=v\\=1\\,2 field\\ key=\"x\",f\\=g=1i"));
}

TEST(LineProtocolPoint, StringLiteralFieldsAreStringsNotBooleans)
{
    using greenpulse::core::lineprotocol::Point;
    EXPECT_EQ(Point(u"m").field(u"status", u"start").timestamp(1).toLine(),
              QByteArray("m status=\"start\" 1"));
    EXPECT_EQ(Point(u"m").field(u"status", QStringLiteral("end")).timestamp(1).toLine(),
              QByteArray("m status=\"end\" 1"));
}
