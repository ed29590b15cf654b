#include "protocol/FastDecode_p.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>

namespace greenpulse::core {

namespace {

// Numbers longer than this (or with an exponent) go to the reference decoder.
constexpr int kMaxNumberChars = 40;
// Below 10^15 a decimal mantissa is exact in a double (2^53 ~ 9.007e15).
constexpr int kMaxExactDigits = 15;
constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

struct Number
{
    double value = 0;
    bool isInteger = false; // an integral value within qint64: QJsonValue keeps it as one
    qint64 integer = 0;
};

// A field of a sample payload; at most one of each.
// Source, Energy, CounterId and Zone: power only (docs/protocol.md, "Energy counters" and
// "Grid carbon intensity"; "components" always takes the reference decoder).
enum Field {
    Host,
    First,
    Second,
    Timestamp,
    Seq,
    Source,
    Energy,
    CounterId,
    Zone,
    FieldCount,
    Unknown = FieldCount
};

template <std::size_t N> bool is(QByteArrayView key, const char (&name)[N])
{
    return key == QByteArrayView(name, N - 1);
}

Field fieldOf(TopicKind kind, QByteArrayView key)
{
    if (is(key, "host"))
        return Host;
    if (is(key, "timestamp"))
        return Timestamp;
    if (is(key, "seq"))
        return Seq;
    if (kind == TopicKind::Power) {
        return is(key, "watts")        ? First
               : is(key, "job_id")     ? Second
               : is(key, "source")     ? Source
               : is(key, "energy_j")   ? Energy
               : is(key, "counter_id") ? CounterId
               : is(key, "zone")       ? Zone
                                       : Unknown;
    }
    return is(key, "flow_lpm") ? First : is(key, "temp_c") ? Second : Unknown;
}

// Identifiers the reference accepts without a second look: printable ASCII (so no control
// character, valid Unicode), 1..kMaxIdLength bytes; hosts without '/', '+' or '#'.
bool isPlainIdentifier(QByteArrayView id, bool isHost)
{
    if (id.isEmpty() || id.size() > kMaxIdLength)
        return false;
    for (const char c : id) {
        if (c < 0x20 || c > 0x7e || (isHost && (c == '/' || c == '+' || c == '#')))
            return false;
    }
    return true;
}

// Reads the JSON subset the fast path handles. Every method returns false for anything outside
// it; the caller then gives up.
class Cursor
{
public:
    explicit Cursor(QByteArrayView text) : m_p(text.data()), m_end(text.data() + text.size()) {}

    bool eat(char c)
    {
        skipSpace();
        if (m_p == m_end || *m_p != c)
            return false;
        ++m_p;
        return true;
    }
    bool atEnd()
    {
        skipSpace();
        return m_p == m_end;
    }
    // The literal null (a value the caller expects may be null).
    bool null()
    {
        skipSpace();
        if (m_end - m_p < 4 || QByteArrayView(m_p, 4) != QByteArrayView("null", 4))
            return false;
        m_p += 4;
        return true;
    }
    // A string of printable ASCII without escapes; its contents.
    bool plainString(QByteArrayView *out)
    {
        if (!eat('"'))
            return false;
        const char *start = m_p;
        while (m_p != m_end && *m_p != '"') {
            const char c = *m_p;
            if (c < 0x20 || c > 0x7e || c == '\\')
                return false;
            ++m_p;
        }
        if (m_p == m_end)
            return false;
        *out = QByteArrayView(start, m_p - start);
        ++m_p;
        return true;
    }
    // -?(0|[1-9][0-9]*)(.[0-9]+)? as QJsonDocument reads it: without '.' and within qint64 an
    // exact integer, otherwise the correctly rounded double.
    bool number(Number *out)
    {
        skipSpace();
        const char *start = m_p;
        const bool negative = m_p != m_end && *m_p == '-';
        if (negative)
            ++m_p;
        quint64 mantissa = 0;
        int digits = 0;
        if (m_p != m_end && *m_p == '0') {
            ++m_p;
            digits = 1;
        } else {
            for (; m_p != m_end && isDigit(*m_p) && digits < 20; ++m_p, ++digits)
                mantissa = mantissa * 10 + static_cast<quint64>(*m_p - '0');
            if (digits == 0 || digits == 20)
                return false;
        }
        int fractionDigits = 0;
        const bool fraction = m_p != m_end && *m_p == '.';
        if (fraction) {
            ++m_p;
            for (; m_p != m_end && isDigit(*m_p) && m_p - start <= kMaxNumberChars; ++m_p) {
                mantissa = mantissa * 10 + static_cast<quint64>(*m_p - '0');
                ++fractionDigits;
            }
            if (fractionDigits == 0)
                return false;
        }
        if (m_p - start > kMaxNumberChars ||
            (m_p != m_end && (*m_p == 'e' || *m_p == 'E' || isDigit(*m_p))))
            return false;

        if (!fraction) {
            // digits <= 19: mantissa is exact. qint64 holds up to 2^63 - 1 (and -2^63).
            constexpr quint64 kMaxPositive = 9'223'372'036'854'775'807ULL;
            if (mantissa > kMaxPositive + (negative ? 1 : 0))
                return false;
            out->isInteger = true;
            out->integer =
                negative ? static_cast<qint64>(0 - mantissa) : static_cast<qint64>(mantissa);
            out->value = static_cast<double>(out->integer);
            return true;
        }
        double value = 0;
        if (digits + fractionDigits <= kMaxExactDigits) {
            // Both operands exact, so the one division is correctly rounded.
            const double magnitude =
                static_cast<double>(mantissa) / kPow10[static_cast<size_t>(fractionDigits)];
            value = negative ? -magnitude : magnitude;
        } else {
            const std::from_chars_result result = std::from_chars(start, m_p, value);
            if (result.ec != std::errc() || result.ptr != m_p || !std::isfinite(value))
                return false;
        }
        // Like QJsonValue, which keeps an integral double within qint64 as an integer ("5.0",
        // and "-0.0" which so becomes +0.0).
        out->isInteger = std::trunc(value) == value && value >= -9.223372036854775808e18 &&
                         value < 9.223372036854775808e18;
        out->integer = out->isInteger ? static_cast<qint64>(value) : 0;
        out->value = out->isInteger ? static_cast<double>(out->integer) : value;
        return true;
    }

private:
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }
    void skipSpace()
    {
        while (m_p != m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }

    const char *m_p;
    const char *m_end;
};

// As readTimestamp() in Protocol.cpp: integers (QJsonValue::toInteger()) take the exact integer
// path, other values the double one.
std::optional<TimeNs> timestampOf(const Number &number)
{
    return number.isInteger ? normalizeTimestamp(number.integer) : normalizeTimestamp(number.value);
}

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

std::optional<Decoded> fastDecode(TopicKind kind, QByteArrayView topicHost, QByteArrayView payload,
                                  TimeNs receiptNs)
{
    if (kind != TopicKind::Power && kind != TopicKind::FlowTemp)
        return std::nullopt;
    Cursor cursor(payload);
    if (!cursor.eat('{'))
        return std::nullopt;

    bool seen[FieldCount] = {};
    bool present[FieldCount] = {};    // seen and not null
    QByteArrayView texts[FieldCount]; // Host, Second (job_id), Source, CounterId, Zone
    Number numbers[FieldCount];
    do {
        QByteArrayView key;
        if (!cursor.plainString(&key) || !cursor.eat(':'))
            return std::nullopt;
        const Field field = fieldOf(kind, key);
        if (field == Unknown || seen[field])
            return std::nullopt;
        seen[field] = true;
        const bool isString = field == Host || field == Source || field == CounterId ||
                              field == Zone || (field == Second && kind == TopicKind::Power);
        const bool mayBeNull = field != First && (field != Second || isString);
        if (mayBeNull && cursor.null())
            continue;
        present[field] = true;
        if (isString) {
            QByteArrayView *text = &texts[field];
            if (!cursor.plainString(text) ||
                !isPlainIdentifier(*text, field == Host || field == Zone))
                return std::nullopt;
        } else if (!cursor.number(&numbers[field])) {
            return std::nullopt;
        }
    } while (cursor.eat(','));
    if (!cursor.eat('}') || !cursor.atEnd() || !present[First])
        return std::nullopt;
    QByteArrayView host = texts[Host];
    // A counter without its id, or out of range: the reference explains the rejection.
    if (present[Energy] && (!present[CounterId] || !(numbers[Energy].value >= 0) ||
                            numbers[Energy].value > kMaxEnergyJ))
        return std::nullopt;

    if (!present[Host]) {
        if (!isPlainIdentifier(topicHost, true))
            return std::nullopt;
        host = topicHost;
    } else if (!topicHost.isEmpty() && host != topicHost) {
        return std::nullopt; // HostMismatch: the reference explains it
    }
    TimeNs timestampNs = receiptNs;
    if (present[Timestamp]) {
        const std::optional<TimeNs> ns = timestampOf(numbers[Timestamp]);
        if (!ns)
            return std::nullopt;
        timestampNs = *ns;
    }
    std::optional<quint64> seq;
    if (present[Seq]) {
        const Number &n = numbers[Seq];
        if (!n.isInteger || n.integer < 0 || static_cast<quint64>(n.integer) > kMaxSeq)
            return std::nullopt;
        seq = static_cast<quint64>(n.integer);
    }

    const double first = numbers[First].value;
    if (kind == TopicKind::Power) {
        if (!(first >= 0 && first <= kMaxWatts))
            return std::nullopt;
        PowerSample sample;
        sample.host = QString::fromLatin1(host);
        sample.watts = first;
        if (present[Second])
            sample.jobId = QString::fromLatin1(texts[Second]);
        if (present[Source])
            sample.source = QString::fromLatin1(texts[Source]);
        if (present[Energy])
            sample.energyJ = numbers[Energy].value;
        if (present[CounterId])
            sample.counterId = QString::fromLatin1(texts[CounterId]);
        if (present[Zone])
            sample.zone = QString::fromLatin1(texts[Zone]);
        sample.timestampNs = timestampNs;
        sample.timestampFromReceipt = !present[Timestamp];
        sample.seq = seq;
        sample.receiptNs = receiptNs;
        return Decoded(std::move(sample));
    }
    const double tempC = numbers[Second].value;
    if (!present[Second] || !(first >= 0) || !(tempC >= kMinTempC && tempC <= kMaxTempC))
        return std::nullopt;
    FlowTempSample sample;
    sample.host = QString::fromLatin1(host);
    sample.flowLpm = first;
    sample.tempC = tempC;
    sample.timestampNs = timestampNs;
    sample.timestampFromReceipt = !present[Timestamp];
    sample.seq = seq;
    sample.receiptNs = receiptNs;
    return Decoded(std::move(sample));
}

bool sameDecoded(const Decoded &a, const Decoded &b)
{
    if (a.index() != b.index())
        return false;
    if (const auto *p = std::get_if<PowerSample>(&a)) {
        const auto &q = std::get<PowerSample>(b);
        return p->host == q.host && sameBits(p->watts, q.watts) && p->jobId == q.jobId &&
               p->timestampNs == q.timestampNs &&
               p->timestampFromReceipt == q.timestampFromReceipt && p->seq == q.seq &&
               p->energyJ.has_value() == q.energyJ.has_value() &&
               (!p->energyJ || sameBits(*p->energyJ, *q.energyJ)) && p->counterId == q.counterId &&
               p->source == q.source && p->components == q.components && p->zone == q.zone &&
               p->receiptNs == q.receiptNs;
    }
    if (const auto *f = std::get_if<FlowTempSample>(&a)) {
        const auto &g = std::get<FlowTempSample>(b);
        return f->host == g.host && sameBits(f->flowLpm, g.flowLpm) &&
               sameBits(f->tempC, g.tempC) && f->timestampNs == g.timestampNs &&
               f->timestampFromReceipt == g.timestampFromReceipt && f->seq == g.seq &&
               f->receiptNs == g.receiptNs;
    }
    if (const auto *c = std::get_if<ControlMessage>(&a)) {
        const auto &d = std::get<ControlMessage>(b);
        return c->status == d.status && c->jobId == d.jobId && c->host == d.host &&
               c->timestampNs == d.timestampNs &&
               c->timestampFromReceipt == d.timestampFromReceipt && c->exitCode == d.exitCode &&
               c->receiptNs == d.receiptNs && c->origin == d.origin;
    }
    const auto &r = std::get<Rejection>(a);
    const auto &s = std::get<Rejection>(b);
    return r.reason == s.reason && r.detail == s.detail;
}

} // namespace greenpulse::core
