// decode()'s fast path (core/protocol/FastDecode.cpp) against the reference decoder (full QJsonDocument
// parse, decodeReference()): over many generated and tricky payloads the results must be
// identical, accepted or rejected, field for field and bit for bit.
#include "protocol/FastDecode_p.h"
#include "protocol/Protocol.h"

#include <QRandomGenerator>
#include <QStringList>
#include <cmath>
#include <gtest/gtest.h>
#include <vector>

using namespace greenpulse::core;

namespace {

constexpr TimeNs kReceipt = 1'764'049'999'000'000'000;

std::string describe(const Decoded &d)
{
    if (const auto *p = std::get_if<PowerSample>(&d))
        return "power " + p->host.toStdString() + " " + std::to_string(p->watts) + " " +
               p->jobId.toStdString() + " " + std::to_string(p->timestampNs);
    if (const auto *f = std::get_if<FlowTempSample>(&d))
        return "flow " + f->host.toStdString() + " " + std::to_string(f->flowLpm) + " " +
               std::to_string(f->tempC) + " " + std::to_string(f->timestampNs);
    if (std::holds_alternative<ControlMessage>(d))
        return "control";
    const auto &r = std::get<Rejection>(d);
    return std::string(rejectReasonName(r.reason)) + ": " + r.detail.toStdString();
}

// decode() (fast path first) == decodeReference(). Returns whether the fast path answered.
bool expectSame(const QByteArray &topic, const QByteArray &payload)
{
    const Decoded fast = decode(topic, payload, kReceipt);
    const Decoded reference = decodeReference(topic, payload, kReceipt);
    EXPECT_TRUE(sameDecoded(fast, reference))
        << topic.constData() << " " << payload.left(300).constData()
        << "\n  fast:      " << describe(fast) << "\n  reference: " << describe(reference);
    const TopicKind kind = classifyTopic(topic);
    const QByteArray host = topic.split('/').value(2);
    const bool perHost = topic.count('/') == 3;
    return fastDecode(kind, perHost ? QByteArrayView(host) : QByteArrayView(), payload, kReceipt)
        .has_value();
}

// Building blocks of generated payloads: valid and invalid keys, values and separators.
const std::vector<QByteArray> &keys()
{
    static const std::vector<QByteArray> k = {
        "\"host\"",        "\"watts\"",  "\"job_id\"", "\"timestamp\"", "\"flow_lpm\"",
        "\"temp_c\"",      "\"host\"",   "\"watts\"",  "\"timestamp\"", "\"extra\"",
        "\"w\\u0061tts\"", "\"Host\"",   "\"\"",       "\"h\\\"ost\"",  "host",
        "'host'",          "\"watts \"", "\"status\"", "\"job_id\"",    "\"temp_c\"",
        "\"seq\"",         "\"seq\""};
    return k;
}

QByteArray randomDigits(QRandomGenerator &rng, int count)
{
    QByteArray out;
    for (int i = 0; i < count; ++i)
        out += static_cast<char>('0' + rng.bounded(10));
    return out;
}

QByteArray validTimestamp(QRandomGenerator &rng)
{
    static const qint64 units[] = {1, 1000, 1000000, 1000000000};
    const qint64 integer = 1'764'049'200LL * units[rng.bounded(4)] + rng.bounded(1000);
    return QByteArray::number(integer) +
           (rng.bounded(2) ? "." + randomDigits(rng, rng.bounded(12) + 1) : QByteArray());
}

QByteArray randomNumber(QRandomGenerator &rng)
{
    static const std::vector<QByteArray> fixed = {
        "0",
        "-0",
        "0.0",
        "-0.0",
        "1",
        "1.",
        ".5",
        "01",
        "-",
        "1e5",
        "1E+2",
        "2.5e-3",
        "1e999",
        "100000",
        "100000.0",
        "100000.0000001",
        "99999.99999999999999",
        "100000.00000000000001",
        "-0.000000000000000000001",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "1764049200",
        "1764049200.125",
        "1764049200.123456",
        "1764049200125",
        "1764049200125.5",
        "1764049200125456",
        "1764049200125456.7",
        "1764049200123456789",
        "1764049200123456789.0",
        "17640492001234567890",
        "9200000000000000000",
        "9200000000000000001",
        "9199999999999999999.5",
        "9200000000",
        "99999999999",
        "99999999999.5",
        "100000000000",
        "99999999999999.9",
        "0.0000000001",
        "1e-9",
        "0.000000001",
        "0.0000000005",
        "1.7640492e9",
        "-1764049200",
        "3.14159265358979323846",
        "0.1",
        "0.30000000000000004",
        "412.35",
        "1.234",
        "27.51",
        "-49.999",
        "150",
        "150.0",
        "150.00000000000001",
        "-50",
        "-50.000000000001",
        "NaN",
        "Infinity",
        "-Infinity",
        "+1",
        "0x10",
        "1_000",
        "12345678901234567890123456789012345678901234567890"};
    switch (rng.bounded(6)) {
    case 0:
        return fixed[rng.bounded(static_cast<quint32>(fixed.size()))];
    case 1: // integers of every length
        return (rng.bounded(4) == 0 ? "-" : "") + QByteArray::number(rng.bounded(9) + 1) +
               randomDigits(rng, rng.bounded(21));
    case 2: // decimals of every length
        return (rng.bounded(8) == 0 ? "-" : "") + QByteArray::number(rng.bounded(1000)) + '.' +
               randomDigits(rng, rng.bounded(25) + 1);
    case 3: // plausible watts / temperatures
        return QByteArray::number(rng.generateDouble() * 120000 - 10000, 'f', rng.bounded(8));
    case 4: // timestamps in every unit
        return validTimestamp(rng);
    default:
        return QByteArray::number(rng.generateDouble() * std::pow(10.0, rng.bounded(40) - 20), 'g',
                                  17);
    }
}

QByteArray randomString(QRandomGenerator &rng)
{
    static const std::vector<QByteArray> fixed = {"\"\"",
                                                  "\"h\"",
                                                  "\"gpu-server-01\"",
                                                  "\"a/b\"",
                                                  "\"a+b\"",
                                                  "\"a#b\"",
                                                  "\"a\\nb\"",
                                                  "\"a\\u0001b\"",
                                                  "\"a\x7f"
                                                  "b\"",
                                                  "\"\\ud800\"",
                                                  "\"h\\u00f6st\"",
                                                  "\"h\xc3\xb6st\"",
                                                  "\"h\xff\"",
                                                  "\"a\\\"b\"",
                                                  "\"a\\\\b\"",
                                                  "\"a\\/b\"",
                                                  "\"tab\tin\"",
                                                  "\"legacy job #7\"",
                                                  "\"Initial_Model_Train_1764049200_a1b2c3\"",
                                                  "\"idle\"",
                                                  "\"unterminated"};
    if (rng.bounded(3) == 0) {
        const int length = rng.bounded(2) ? 256 + rng.bounded(3) - 1 : rng.bounded(20) + 1;
        QByteArray text(length, 'x');
        for (char &c : text)
            c = static_cast<char>(0x20 + rng.bounded(0x5f));
        text.replace('\\', 'z');
        text.replace('"', 'q');
        return '"' + text + '"';
    }
    return fixed[rng.bounded(static_cast<quint32>(fixed.size()))];
}

QByteArray randomValue(QRandomGenerator &rng)
{
    static const std::vector<QByteArray> literals = {"null", "null",  "true", "false",
                                                     "[]",   "[1,2]", "{}",   "{\"a\":null}",
                                                     "nul",  "nullx", "None"};
    switch (rng.bounded(7)) {
    case 0:
    case 1:
    case 2:
        return randomNumber(rng);
    case 3:
    case 4:
        return randomString(rng);
    default:
        return literals[rng.bounded(static_cast<quint32>(literals.size()))];
    }
}

QByteArray space(QRandomGenerator &rng)
{
    static const std::vector<QByteArray> spaces = {"",   "",     "",   "",   " ",  "\t",
                                                   "\n", "\r\n", "  ", "\f", "\v", "\xc2\xa0"};
    return spaces[rng.bounded(static_cast<quint32>(spaces.size()))];
}

QByteArray randomPayload(QRandomGenerator &rng)
{
    QByteArray out = space(rng) + '{';
    const int members = rng.bounded(6);
    for (int i = 0; i < members; ++i) {
        if (i > 0)
            out += space(rng) + (rng.bounded(40) == 0 ? ";" : ",");
        out += space(rng) + keys()[rng.bounded(static_cast<quint32>(keys().size()))] + space(rng) +
               (rng.bounded(50) == 0 ? "=" : ":") + space(rng) + randomValue(rng);
    }
    out += space(rng);
    switch (rng.bounded(30)) {
    case 0:
        break; // unterminated
    case 1:
        out += ",}";
        break;
    case 2:
        out += "}x";
        break;
    case 3:
        out += "}}";
        break;
    default:
        out += '}';
    }
    return out + space(rng);
}

// A well-formed sample: mostly valid values, some borderline or wrong ones.
QByteArray plausiblePayload(QRandomGenerator &rng, bool power)
{
    QStringList members;
    const auto add = [&](const char *key, const QByteArray &value) {
        members << QStringLiteral("\"%1\":%2").arg(QLatin1String(key), QString::fromLatin1(value));
    };
    const auto pick = [&](const QByteArray &valid) {
        return rng.bounded(4) ? valid : rng.bounded(2) ? randomNumber(rng) : randomValue(rng);
    };
    const auto decimal = [&](double from, double to) {
        return QByteArray::number(from + rng.generateDouble() * (to - from), 'f', rng.bounded(9));
    };
    if (rng.bounded(8) != 0)
        add("host", pick("\"gpu-" + QByteArray::number(rng.bounded(10000)) + '"'));
    if (power) {
        add("watts", pick(decimal(0, kMaxWatts)));
        if (rng.bounded(3) != 0)
            add("job_id",
                pick(rng.bounded(5) ? "\"job_" + QByteArray::number(rng.bounded(100)) + '"'
                                    : QByteArray("null")));
        if (rng.bounded(5) == 0)
            add("zone", pick(rng.bounded(6) ? QByteArray("\"DE\"")
                             : rng.bounded(2) ? QByteArray("\"a/b\"")
                                              : QByteArray("null")));
    } else {
        add("flow_lpm", pick(decimal(0, 3)));
        add("temp_c", pick(decimal(kMinTempC, kMaxTempC)));
    }
    if (rng.bounded(6) != 0)
        add("timestamp", pick(rng.bounded(8) ? validTimestamp(rng) : QByteArray("null")));
    if (rng.bounded(3) == 0)
        add("seq",
            pick(rng.bounded(8) ? QByteArray::number(rng.bounded(1'000'000)) : QByteArray("null")));
    for (int i = static_cast<int>(members.size()) - 1; i > 0; --i) // any key order
        members.swapItemsAt(i, static_cast<int>(rng.bounded(i + 1)));
    return '{' + members.join(QLatin1Char(',')).toLatin1() + '}';
}

QByteArray randomTopic(QRandomGenerator &rng)
{
    static const std::vector<QByteArray> topicsList = {
        topics::kPower,
        topics::kPower,
        topics::kFlowTemp,
        topics::kFlowTemp,
        "greenpulse/raw/gpu-7/power",
        "greenpulse/raw/gpu-7/flow_temp",
        "greenpulse/raw/a\"b/power",
        "greenpulse/raw/a\\b/power",
        "greenpulse/raw/h\xc3\xb6st/power",
        "greenpulse/raw/a+b/power",
        "greenpulse/raw/a#b/flow_temp",
        "greenpulse/raw/a\x01"
        "b/power",
        "greenpulse/raw/a\x7f"
        "b/power",
        "greenpulse/raw/" + QByteArray(256, 'x') + "/power",
        "greenpulse/raw/" + QByteArray(257, 'x') + "/power",
        "greenpulse/raw//power",
        topics::kControl,
        "greenpulse/status/x"};
    return topicsList[rng.bounded(static_cast<quint32>(topicsList.size()))];
}

} // namespace

TEST(FastDecode, AnswersForTheUsualPayloads)
{
    // The shapes our publishers, the Python scripts and the benchmarks send: the fast path must
    // take them (else it is no faster), with the reference's results.
    const std::vector<std::pair<QByteArray, QByteArray>> usual = {
        {topics::kPower, R"({"host":"gpu-00001","watts":107.5,"job_id":"bench_job_0001",)"
                         R"("timestamp":1764049200})"},
        {topics::kPower, R"({"host": "gpu-server-01", "watts": 412.35, )"
                         R"("job_id": "Initial_Model_Train_1764049200_a1b2c3", )"
                         R"("timestamp": 1764049200.125})"},
        {topics::kPower, R"({"host":"h","watts":95.5,"job_id":null,"timestamp":1764049200.0})"},
        {topics::kPower, R"({"host":"h","watts":250})"},
        {"greenpulse/raw/gpu-02/power", R"({"watts": 300.5, "job_id": null, )"
                                        R"("timestamp": 1764049200125})"},
        {topics::kFlowTemp, R"({"host": "gpu-server-01", "flow_lpm": 1.234, "temp_c": 27.51, )"
                            R"("timestamp": 1764049200.125})"},
        {"greenpulse/raw/gpu-01/flow_temp",
         R"({"flow_lpm":2,"temp_c":-5.25,"timestamp":1764049200125456})"},
        {topics::kPower, R"({"host":"h","watts":1,"timestamp":1764049200123456789})"},
        {topics::kPower, R"({"host":"h","watts":1,"timestamp":1764049200,"seq":42})"},
        {topics::kPower, R"({"host":"h","watts":1,"seq":null})"},
        {topics::kPower, R"({"host":"h","watts":1,"zone":"US-CAL-CISO"})"},
        {topics::kFlowTemp, R"({"host":"h","flow_lpm":1,"temp_c":2,"seq":9007199254740992})"},
    };
    for (const auto &[topic, payload] : usual)
        EXPECT_TRUE(expectSame(topic, payload)) << "fast path declined " << payload.constData();
    // Samples encode() writes, too.
    const PowerSample p{QStringLiteral("gpu-01"),
                        412.35,
                        QStringLiteral("j_1764049200_a1b2c3"),
                        1'764'049'200'125'000'000,
                        false,
                        {},
                        0};
    EXPECT_TRUE(expectSame(topics::kPower, encode(p)));
    const FlowTempSample f{
        QStringLiteral("gpu-01"), 1.0 / 3.0, -3.5, 1'764'049'200'000'000'000, false, {}, 0};
    EXPECT_TRUE(expectSame(topics::kFlowTemp, encode(f)));
    PowerSample withSeq = p;
    withSeq.seq = 17;
    EXPECT_TRUE(expectSame(topics::kPower, encode(withSeq)));
    const Decoded back = decode(topics::kPower, encode(withSeq), kReceipt);
    ASSERT_TRUE(std::holds_alternative<PowerSample>(back));
    EXPECT_EQ(std::get<PowerSample>(back).seq, std::optional<quint64>(17));
    EXPECT_EQ(std::get<PowerSample>(back).receiptNs, kReceipt);
}

TEST(FastDecode, DeclinesWhatItDoesNotHandle)
{
    // Each of these goes to the reference (a rejection, or a form the fast path leaves to it);
    // the result is the reference's either way.
    const std::vector<std::pair<QByteArray, QByteArray>> unusual = {
        {topics::kPower, R"({"host":"h","watts":1,"gpu":{"util":[1,2]}})"},
        {topics::kPower, R"({"host":"h","watts":1,"watts":2})"},
        {topics::kPower, R"({"host":"h\u00f6","watts":1})"},
        {topics::kPower, R"({"host":"h","watts":1e2})"},
        {topics::kPower, R"({"host":"h","watts":-1})"},
        {topics::kPower, R"({"host":"h","watts":100000.5})"},
        {topics::kPower, R"({"host":"h","watts":"1"})"},
        {topics::kPower, R"({"host":"h","watts":null})"},
        {topics::kPower, R"({"host":"a/b","watts":1})"},
        {topics::kPower, R"({"host":"h","watts":1,"job_id":""})"},
        {topics::kPower, R"({"host":"h","watts":1,"timestamp":0})"},
        {topics::kPower, R"({"host":"h","watts":1,"timestamp":1e10})"},
        {topics::kPower, R"({"watts":1})"},
        {topics::kPower, "\xef\xbb\xbf{\"host\":\"h\",\"watts\":1}"},
        {topics::kPower, R"({"host":"h","watts":1}x)"},
        {topics::kFlowTemp, R"({"host":"h","flow_lpm":1,"temp_c":150.5})"},
        {topics::kFlowTemp, R"({"host":"h","flow_lpm":-0.5,"temp_c":20})"},
        {topics::kFlowTemp, R"({"host":"h","flow_lpm":1})"},
        {topics::kPower, R"({"host":"h","watts":1,"seq":-1})"},
        {topics::kPower, R"({"host":"h","watts":1,"seq":1.5})"},
        {topics::kPower, R"({"host":"h","watts":1,"seq":"1"})"},
        {topics::kPower, R"({"host":"h","watts":1,"seq":9007199254740993})"},
        // A breakdown always takes the reference, a GPU's "uuid" with it, good or bad.
        {topics::kPower, R"({"host":"h","watts":1,"counter_id":"c","components":)"
                         R"({"gpu0":{"w":1,"j":2,"uuid":"GPU-00000000-0000-0000-0000-0000"}}})"},
        {topics::kPower, R"({"host":"h","watts":1,"components":{"gpu0":{"w":1,"uuid":""}}})"},
        {topics::kPower, R"({"host":"h","watts":1,"components":{"gpu0":{"w":1,"uuid":7}}})"},
    };
    for (const auto &[topic, payload] : unusual)
        EXPECT_FALSE(expectSame(topic, payload)) << "fast path took " << payload.constData();
}

TEST(FastDecode, SameAsReferenceOnGeneratedPayloads)
{
    QRandomGenerator rng(20251125);
    int fastCount = 0;
    constexpr int kCases = 60'000;
    for (int i = 0; i < kCases; ++i) {
        const bool power = rng.bounded(2) == 0;
        const QByteArray topic = rng.bounded(4) == 0 ? randomTopic(rng)
                                 : power             ? QByteArray(topics::kPower)
                                                     : QByteArray(topics::kFlowTemp);
        QByteArray payload =
            rng.bounded(3) == 0 ? randomPayload(rng) : plausiblePayload(rng, power);
        if (rng.bounded(8) == 0 && !payload.isEmpty()) { // a random byte changed
            payload[rng.bounded(static_cast<int>(payload.size()))] =
                static_cast<char>(rng.bounded(256));
        }
        fastCount += expectSame(topic, payload) ? 1 : 0;
        if (::testing::Test::HasFailure())
            break; // the first difference is the useful one
    }
    // The generator is meant to exercise both paths.
    EXPECT_GT(fastCount, kCases / 10);
    EXPECT_LT(fastCount, kCases - kCases / 10);
}

TEST(FastDecode, SameAsReferenceForEveryNumberForm)
{
    // Every number form in every numeric field, alone in an otherwise valid payload.
    QRandomGenerator rng(7);
    for (int i = 0; i < 20'000; ++i) {
        const QByteArray number = randomNumber(rng);
        expectSame(topics::kPower, R"({"host":"h","watts":)" + number + '}');
        expectSame(topics::kPower, R"({"host":"h","watts":1,"timestamp":)" + number + '}');
        expectSame(topics::kPower, R"({"host":"h","watts":1,"seq":)" + number + '}');
        expectSame(topics::kFlowTemp,
                   R"({"host":"h","flow_lpm":)" + number + R"(,"temp_c":)" + number + '}');
        if (::testing::Test::HasFailure())
            break;
    }
}

TEST(FastDecode, SameAsReferenceForEveryIdentifier)
{
    QRandomGenerator rng(11);
    for (int i = 0; i < 5'000; ++i) {
        const QByteArray text = randomString(rng);
        expectSame(topics::kPower, R"({"host":)" + text + R"(,"watts":1,"job_id":)" + text + '}');
        expectSame("greenpulse/raw/t/flow_temp",
                   R"({"host":)" + text + R"(,"flow_lpm":1,"temp_c":2})");
    }
    for (int c = 0; c < 256; ++c) {
        const QByteArray host = "a" + QByteArray(1, static_cast<char>(c)) + "b";
        expectSame(topics::kPower, R"({"host":")" + host + R"(","watts":1})");
        expectSame("greenpulse/raw/" + host + "/power", R"({"watts":1})");
    }
}
