#include "protocol/JsonWriter_p.h"

#include <QLocale>
#include <cmath>

namespace greenpulse::core {

JsonWriter &JsonWriter::string(const char *key, const QString &text)
{
    appendKey(key);
    m_out.append('"');
    for (const char ch : text.toUtf8()) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            m_out.append('\\').append(ch);
        } else if (c < 0x20) {
            static constexpr char kHex[] = "0123456789abcdef";
            m_out.append("\\u00").append(kHex[c >> 4]).append(kHex[c & 0xf]);
        } else {
            m_out.append(ch);
        }
    }
    m_out.append('"');
    return *this;
}

JsonWriter &JsonWriter::number(const char *key, double value)
{
    // JSON has no NaN or infinity.
    return raw(key, std::isfinite(value)
                        ? QByteArray::number(value, 'g', QLocale::FloatingPointShortest)
                        : QByteArray("null"));
}

JsonWriter &JsonWriter::timestamp(const char *key, TimeNs ns)
{
    // Round to the nearest microsecond; sign and magnitude (correct before the epoch too).
    const qint64 us = ns / 1000 + (ns % 1000 >= 500 ? 1 : 0) - (ns % 1000 < -500 ? 1 : 0);
    const quint64 magnitude = us < 0 ? 0 - static_cast<quint64>(us) : static_cast<quint64>(us);
    QByteArray micros = QByteArray::number(magnitude % 1'000'000 + 1'000'000).sliced(1);
    while (micros.size() > 1 && micros.endsWith('0'))
        micros.chop(1);
    return raw(key, (us < 0 ? "-" : "") + QByteArray::number(magnitude / 1'000'000) + '.' + micros);
}

} // namespace greenpulse::core
