#pragma once

// Compact JSON object writer for the protocol's encoders: keys in call order, no whitespace.
// Internal to core (Protocol.cpp); cheaper than building a QJsonObject per message.

#include "base/Timestamp.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace greenpulse::core {

class JsonWriter
{
public:
    JsonWriter() { m_out.reserve(160); }

    JsonWriter &string(const char *key, const QString &text);
    JsonWriter &stringOrNull(const char *key, const QString &text)
    {
        return text.isEmpty() ? raw(key, "null") : string(key, text);
    }
    // Shortest form that reads back to the same double; null for NaN and infinity.
    JsonWriter &number(const char *key, double value);
    // Fractional seconds, microsecond resolution: 1764049200.125, 1764049200.0.
    JsonWriter &timestamp(const char *key, TimeNs ns);
    JsonWriter &raw(const char *key, QByteArrayView json)
    {
        appendKey(key);
        m_out.append(json);
        return *this;
    }
    QByteArray finish() { return std::move(m_out.append('}')); }

private:
    void appendKey(const char *key)
    {
        m_out.append(m_out.isEmpty() ? '{' : ',').append('"').append(key).append("\":");
    }

    QByteArray m_out;
};

} // namespace greenpulse::core
