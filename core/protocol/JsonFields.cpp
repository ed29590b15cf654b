#include "protocol/JsonFields_p.h"

#include <QJsonValue>
#include <cmath>
#include <iterator>
#include <limits>

namespace greenpulse::core::jsonfields {

Rejection reject(RejectReason reason, QString detail)
{
    return Rejection{reason, std::move(detail)};
}

QString keyName(QLatin1String key)
{
    return QLatin1Char('"') + key + QLatin1Char('"');
}

const char *typeName(const QJsonValue &value)
{
    static constexpr const char *kNames[] = {"null",     "a boolean", "a number",
                                             "a string", "an array",  "an object"};
    const auto type = static_cast<unsigned>(value.type());
    return type < std::size(kNames) ? kNames[type] : "undefined";
}

QString wrongType(QLatin1String key, const char *expected, const QJsonValue &value)
{
    return QStringLiteral("%1 must be %2, not %3")
        .arg(keyName(key), QLatin1String(expected), QLatin1String(typeName(value)));
}

// Identifiers (host names, job ids): non-empty, bounded, printable, valid UTF-16.
// Host names additionally may not contain MQTT topic separators or wildcards.
std::optional<QString> identifierProblem(const QString &id, bool isHost)
{
    if (id.isEmpty())
        return QStringLiteral("is empty");
    if (id.size() > kMaxIdLength)
        return QStringLiteral("is longer than %1 characters").arg(kMaxIdLength);
    for (const QChar c : id) {
        if (c.category() == QChar::Other_Control)
            return QStringLiteral("contains a control character");
        if (isHost && (c == QLatin1Char('/') || c == QLatin1Char('+') || c == QLatin1Char('#')))
            return QStringLiteral("contains '/', '+' or '#'");
    }
    if (!id.isValidUtf16())
        return QStringLiteral("is not valid Unicode");
    return std::nullopt;
}

// Reads an optional identifier; null counts as absent. Returns a rejection on error.
std::optional<Rejection> readIdentifier(const QJsonObject &object, QLatin1String key, bool isHost,
                                        QString *out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isString())
        return reject(RejectReason::WrongType, wrongType(key, "a string", value));
    QString text = value.toString();
    if (const auto problem = identifierProblem(text, isHost))
        return reject(RejectReason::BadIdentifier, keyName(key) + QLatin1Char(' ') + *problem);
    *out = std::move(text);
    return std::nullopt;
}

// Reads a required number; null counts as absent. QJsonDocument never yields NaN or infinity,
// but the check stays in case a later Qt does.
std::optional<Rejection> readNumber(const QJsonObject &object, QLatin1String key, double *out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return reject(RejectReason::MissingKey, QStringLiteral("missing key ") + keyName(key));
    if (!value.isDouble())
        return reject(RejectReason::WrongType, wrongType(key, "a number", value));
    const double number = value.toDouble();
    if (!std::isfinite(number))
        return reject(RejectReason::NotFinite, keyName(key) + QStringLiteral(" is not finite"));
    *out = number;
    return std::nullopt;
}

// Timestamp: absent or null -> receipt time. Integers go through the exact integer path.
std::optional<Rejection> readTimestamp(const QJsonObject &object, TimeNs receiptNs, TimeNs *out,
                                       bool *fromReceipt)
{
    const QLatin1String key("timestamp");
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull()) {
        *out = receiptNs;
        *fromReceipt = true;
        return std::nullopt;
    }
    if (!value.isDouble())
        return reject(RejectReason::WrongType, wrongType(key, "a number", value));
    const double asDouble = value.toDouble();
    if (!std::isfinite(asDouble))
        return reject(RejectReason::NotFinite, QStringLiteral("\"timestamp\" is not finite"));
    constexpr qint64 kNotInteger = std::numeric_limits<qint64>::min();
    const qint64 asInteger = value.toInteger(kNotInteger);
    const std::optional<TimeNs> ns =
        asInteger != kNotInteger ? normalizeTimestamp(asInteger) : normalizeTimestamp(asDouble);
    if (!ns) {
        return reject(RejectReason::BadTimestamp,
                      QStringLiteral("\"timestamp\" %1 is not a plausible instant")
                          .arg(asInteger != kNotInteger ? QString::number(asInteger)
                                                        : QString::number(asDouble, 'g', 17)));
    }
    *out = *ns;
    *fromReceipt = false;
    return std::nullopt;
}

// Optional "seq": absent or null -> none; else an integer in 0..kMaxSeq.
std::optional<Rejection> readSeq(const QJsonObject &object, std::optional<quint64> *out)
{
    const QLatin1String key("seq");
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    constexpr qint64 kNotInteger = std::numeric_limits<qint64>::min();
    const qint64 asInteger = value.isDouble() ? value.toInteger(kNotInteger) : kNotInteger;
    if (asInteger < 0 || static_cast<quint64>(asInteger) > kMaxSeq)
        return reject(RejectReason::WrongType,
                      wrongType(key, "an unsigned integer up to 2^53", value));
    *out = static_cast<quint64>(asInteger);
    return std::nullopt;
}

} // namespace greenpulse::core::jsonfields
