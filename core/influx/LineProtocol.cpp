#include "influx/LineProtocol.h"

#include <QLocale>
#include <algorithm>
#include <cmath>

namespace greenpulse::core::lineprotocol {

namespace {

bool needsEscape(char c, bool escapeEquals)
{
    return c == ',' || c == ' ' || c == '\n' || c == '\r' || (escapeEquals && c == '=');
}

// Escapes one identifier (measurement, tag key, tag value or field key). Newlines and carriage
// returns are not allowed: they become spaces, which are then escaped.
//
// Backslashes: InfluxDB 1.x keeps "\\" in identifiers as two characters and refuses a line
// where a backslash ends a tag value or precedes an escaped delimiter; 2.x and later read "\\"
// as one backslash. A backslash followed by an ordinary character reads back the same everywhere,
// so it is written as is; one at the end or before a delimiter or another backslash (which no
// version reads back the same) is written as '/', so the line always parses.
QByteArray escapeIdentifier(QStringView text, bool escapeEquals)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 8);
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        if (c == '\\') {
            const bool last = i + 1 == utf8.size();
            const bool clash =
                last || utf8[i + 1] == '\\' || needsEscape(utf8[i + 1], escapeEquals);
            out.append(clash ? '/' : '\\');
        } else if (c == '\n' || c == '\r') {
            out.append("\\ ");
        } else if (needsEscape(c, escapeEquals)) {
            out.append('\\').append(c);
        } else {
            out.append(c);
        }
    }
    return out;
}

} // namespace

QByteArray escapeMeasurement(QStringView name)
{
    return escapeIdentifier(name, false);
}

QByteArray escapeKey(QStringView key)
{
    return escapeIdentifier(key, true);
}

QByteArray quoteStringField(QStringView value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 4);
    out.append('"');
    for (const char c : utf8) {
        switch (c) {
        case '"':
        case '\\':
            out.append('\\').append(c);
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        default:
            out.append(c);
        }
    }
    out.append('"');
    return out;
}

Point::Point(QStringView measurement) : m_measurement(escapeMeasurement(measurement)) {}

Point &Point::tag(QStringView key, QStringView value)
{
    if (key.isEmpty() || value.isEmpty()) {
        return *this;
    }
    m_tags.append({escapeKey(key), escapeKey(value)});
    return *this;
}

Point &Point::field(QStringView key, double value)
{
    if (key.isEmpty() || !std::isfinite(value)) {
        return *this;
    }
    // Shortest representation that reads back as exactly the same double.
    QByteArray number = QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
    if (!m_fields.isEmpty()) {
        m_fields.append(',');
    }
    m_fields.append(escapeKey(key)).append('=').append(number);
    return *this;
}

Point &Point::field(QStringView key, qint64 value)
{
    if (key.isEmpty()) {
        return *this;
    }
    if (!m_fields.isEmpty()) {
        m_fields.append(',');
    }
    m_fields.append(escapeKey(key)).append('=').append(QByteArray::number(value)).append('i');
    return *this;
}

Point &Point::field(QStringView key, QStringView value)
{
    if (key.isEmpty()) {
        return *this;
    }
    if (!m_fields.isEmpty()) {
        m_fields.append(',');
    }
    m_fields.append(escapeKey(key)).append('=').append(quoteStringField(value));
    return *this;
}

Point &Point::field(QStringView key, bool value)
{
    if (key.isEmpty()) {
        return *this;
    }
    if (!m_fields.isEmpty()) {
        m_fields.append(',');
    }
    m_fields.append(escapeKey(key)).append('=').append(value ? "true" : "false");
    return *this;
}

Point &Point::timestamp(qint64 ns)
{
    m_timestamp = ns;
    m_hasTimestamp = true;
    return *this;
}

QByteArray Point::toLine() const
{
    if (m_fields.isEmpty() || m_measurement.isEmpty()) {
        return {};
    }
    auto tags = m_tags;
    // Sorted by (escaped) key bytes, like Go's bytes.Compare; stable for repeated keys.
    std::stable_sort(tags.begin(), tags.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QByteArray line = m_measurement;
    for (const auto &t : tags) {
        line.append(',').append(t.first).append('=').append(t.second);
    }
    line.append(' ').append(m_fields);
    if (m_hasTimestamp) {
        line.append(' ').append(QByteArray::number(m_timestamp));
    }
    return line;
}

} // namespace greenpulse::core::lineprotocol
