#include "protocol/Decode.h"

#include "protocol/FastDecode_p.h"
#include "protocol/JsonFields_p.h"
#include "protocol/Topics.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLocale>
#include <cmath>
#include <iterator>
#include <limits>

namespace greenpulse::core {

using namespace jsonfields;

namespace {

// Distinguishes numbers too large for a double (1e999: QJsonDocument reports IllegalNumber)
// from other syntax errors.
bool isOverflowingNumberAt(QByteArrayView payload, qsizetype end)
{
    if (end <= 0 || end > payload.size())
        return false;
    qsizetype start = end;
    const auto numberChar = [](char c) {
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    };
    while (start > 0 && numberChar(payload[start - 1]))
        --start;
    if (start == end)
        return false;
    // QLocale::c() reports overflow as infinity (QByteArray::toDouble returns 0).
    const QString token = QString::fromLatin1(payload.sliced(start, end - start));
    bool ok = false;
    return std::isinf(QLocale::c().toDouble(token, &ok));
}

Rejection parseFailure(QByteArrayView payload, const QJsonParseError &error)
{
    if (error.error == QJsonParseError::IllegalNumber &&
        isOverflowingNumberAt(payload, error.offset)) {
        return reject(RejectReason::NotFinite,
                      QStringLiteral("number out of range at offset %1").arg(error.offset));
    }
    if (!payload.trimmed().isEmpty()) {
        // A valid JSON value that is not an object or array (42, "text", null)?
        QByteArray wrapped;
        wrapped.reserve(payload.size() + 2);
        wrapped.append('[').append(payload).append(']');
        const QJsonDocument doc = QJsonDocument::fromJson(wrapped);
        if (doc.isArray() && doc.array().size() == 1)
            return reject(RejectReason::NotAnObject,
                          QStringLiteral("payload is not a JSON object"));
    }
    return reject(
        RejectReason::NotJson,
        QStringLiteral("not JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset));
}

Decoded decodeSample(TopicKind kind, const QJsonObject &object, QByteArrayView topicHost,
                     TimeNs receiptNs)
{
    QString host;
    if (auto failed = readIdentifier(object, QLatin1String("host"), true, &host))
        return *failed;
    if (host.isEmpty()) {
        if (topicHost.isEmpty())
            return reject(RejectReason::MissingKey, QStringLiteral("missing key \"host\""));
        host = QString::fromUtf8(topicHost);
        if (const auto problem = identifierProblem(host, true))
            return reject(RejectReason::BadIdentifier, QStringLiteral("host in topic ") + *problem);
    } else if (!topicHost.isEmpty() && host != QString::fromUtf8(topicHost)) {
        // The broker's ACL vouches for the topic's host, not for the payload's.
        return reject(RejectReason::HostMismatch,
                      QStringLiteral("payload host \"%1\" is not the topic's host \"%2\"")
                          .arg(host.left(64), QString::fromUtf8(topicHost.first(
                                                  qMin<qsizetype>(64, topicHost.size())))));
    }

    if (kind == TopicKind::Power) {
        PowerSample sample;
        sample.host = std::move(host);
        if (auto failed = readNumber(object, QLatin1String("watts"), &sample.watts))
            return *failed;
        if (sample.watts < 0)
            return reject(RejectReason::Negative, QStringLiteral("\"watts\" is negative"));
        if (sample.watts > kMaxWatts) {
            return reject(
                RejectReason::AboveCeiling,
                QStringLiteral("\"watts\" %1 is above %2 W").arg(sample.watts).arg(kMaxWatts));
        }
        if (auto failed = readIdentifier(object, QLatin1String("job_id"), false, &sample.jobId))
            return *failed;
        if (auto failed =
                readTimestamp(object, receiptNs, &sample.timestampNs, &sample.timestampFromReceipt))
            return *failed;
        if (auto failed = readSeq(object, &sample.seq))
            return *failed;
        if (auto failed = readEnergyFields(object, &sample))
            return *failed;
        if (auto failed = readIdentifier(object, QLatin1String("zone"), true, &sample.zone))
            return *failed;
        sample.receiptNs = receiptNs;
        return sample;
    }

    FlowTempSample sample;
    sample.host = std::move(host);
    if (auto failed = readNumber(object, QLatin1String("flow_lpm"), &sample.flowLpm))
        return *failed;
    if (sample.flowLpm < 0)
        return reject(RejectReason::Negative, QStringLiteral("\"flow_lpm\" is negative"));
    if (auto failed = readNumber(object, QLatin1String("temp_c"), &sample.tempC))
        return *failed;
    if (sample.tempC < kMinTempC || sample.tempC > kMaxTempC) {
        return reject(RejectReason::AboveCeiling,
                      QStringLiteral("\"temp_c\" %1 is outside %2..%3 °C")
                          .arg(sample.tempC)
                          .arg(kMinTempC)
                          .arg(kMaxTempC));
    }
    if (auto failed =
            readTimestamp(object, receiptNs, &sample.timestampNs, &sample.timestampFromReceipt))
        return *failed;
    if (auto failed = readSeq(object, &sample.seq))
        return *failed;
    sample.receiptNs = receiptNs;
    return sample;
}

Decoded decodeControl(const QJsonObject &object, TimeNs receiptNs, ControlOrigin origin)
{
    ControlMessage message;
    message.origin = std::move(origin);
    const QLatin1String statusKey("status");
    const QJsonValue status = object.value(statusKey);
    if (status.isUndefined() || status.isNull())
        return reject(RejectReason::MissingKey, QStringLiteral("missing key \"status\""));
    if (!status.isString())
        return reject(RejectReason::WrongType, wrongType(statusKey, "a string", status));
    const QString statusText = status.toString();
    if (statusText == QLatin1String("start")) {
        message.status = JobStatus::Start;
    } else if (statusText == QLatin1String("end")) {
        message.status = JobStatus::End;
    } else {
        return reject(RejectReason::UnknownStatus,
                      QStringLiteral("unknown status \"%1\" (expected \"start\" or \"end\")")
                          .arg(statusText.left(64)));
    }

    if (auto failed = readIdentifier(object, QLatin1String("job_id"), false, &message.jobId))
        return *failed;
    if (message.jobId.isEmpty())
        return reject(RejectReason::MissingKey, QStringLiteral("missing key \"job_id\""));
    if (auto failed = readIdentifier(object, QLatin1String("host"), true, &message.host))
        return *failed;

    const QLatin1String exitKey("exit_code");
    const QJsonValue exitCode = object.value(exitKey);
    if (!exitCode.isUndefined() && !exitCode.isNull()) {
        constexpr qint64 kNotInteger = std::numeric_limits<qint64>::min();
        const qint64 code = exitCode.isDouble() ? exitCode.toInteger(kNotInteger) : kNotInteger;
        if (code < std::numeric_limits<int>::min() || code > std::numeric_limits<int>::max())
            return reject(RejectReason::WrongType, wrongType(exitKey, "an integer", exitCode));
        message.exitCode = static_cast<int>(code);
    }
    if (auto failed = readJobFields(object, &message))
        return *failed;

    if (auto failed =
            readTimestamp(object, receiptNs, &message.timestampNs, &message.timestampFromReceipt))
        return *failed;
    message.receiptNs = receiptNs;
    return message;
}

// greenpulse/grid/<zone>/carbon_intensity (docs/protocol.md, "Grid carbon intensity").
Decoded decodeGridIntensity(const QJsonObject &object, QByteArrayView topicZone, TimeNs receiptNs)
{
    GridIntensity intensity;
    intensity.zone = QString::fromUtf8(topicZone);
    if (const auto problem = identifierProblem(intensity.zone, true))
        return reject(RejectReason::BadIdentifier, QStringLiteral("zone in topic ") + *problem);
    const QLatin1String valueKey("g_co2e_per_kwh");
    if (auto failed = readNumber(object, valueKey, &intensity.gCo2ePerKwh))
        return *failed;
    if (intensity.gCo2ePerKwh < 0)
        return reject(RejectReason::Negative, keyName(valueKey) + QStringLiteral(" is negative"));
    if (intensity.gCo2ePerKwh > kMaxCarbonIntensity) {
        return reject(RejectReason::AboveCeiling, QStringLiteral("%1 %2 is above %3 g/kWh")
                                                      .arg(keyName(valueKey))
                                                      .arg(intensity.gCo2ePerKwh)
                                                      .arg(kMaxCarbonIntensity));
    }
    if (auto failed = readTimestamp(object, receiptNs, &intensity.timestampNs,
                                    &intensity.timestampFromReceipt))
        return *failed;
    if (auto failed = readIdentifier(object, QLatin1String("source"), false, &intensity.source))
        return *failed;
    const QLatin1String kindKey("kind");
    const QJsonValue kind = object.value(kindKey);
    if (!kind.isUndefined() && !kind.isNull()) {
        if (!kind.isString())
            return reject(RejectReason::WrongType, wrongType(kindKey, "a string", kind));
        const QString text = kind.toString();
        if (text == QLatin1String("lifecycle")) {
            intensity.kind = IntensityKind::Lifecycle;
        } else if (text == QLatin1String("direct")) {
            intensity.kind = IntensityKind::Direct;
        } else if (text == QLatin1String("marginal")) {
            intensity.kind = IntensityKind::Marginal;
        } else {
            return reject(RejectReason::WrongType,
                          QStringLiteral("\"kind\" \"%1\" is not lifecycle, direct or marginal")
                              .arg(text.left(64)));
        }
    }
    const QLatin1String estimatedKey("estimated");
    const QJsonValue estimated = object.value(estimatedKey);
    if (!estimated.isUndefined() && !estimated.isNull()) {
        if (!estimated.isBool())
            return reject(RejectReason::WrongType, wrongType(estimatedKey, "a boolean", estimated));
        intensity.estimated = estimated.toBool();
    }
    intensity.receiptNs = receiptNs;
    return intensity;
}

} // namespace

Decoded decode(QByteArrayView topic, QByteArrayView payload, TimeNs receiptNs)
{
    const Topic parsed = parseTopic(topic);
    if ((parsed.kind == TopicKind::Power || parsed.kind == TopicKind::FlowTemp) &&
        payload.size() <= kMaxPayloadBytes) {
        if (std::optional<Decoded> fast = fastDecode(parsed.kind, parsed.host, payload, receiptNs))
            return std::move(*fast);
    }
    return decodeReference(topic, payload, receiptNs);
}

Decoded decodeReference(QByteArrayView topic, QByteArrayView payload, TimeNs receiptNs)
{
    const Topic parsed = parseTopic(topic);
    const TopicKind kind = parsed.kind;
    if (kind != TopicKind::Power && kind != TopicKind::FlowTemp && kind != TopicKind::Control &&
        kind != TopicKind::GridIntensity) {
        return reject(RejectReason::UnknownTopic,
                      QStringLiteral("not a power, flow_temp, control or grid topic"));
    }
    if (payload.size() > kMaxPayloadBytes) {
        return reject(RejectReason::PayloadTooLarge,
                      QStringLiteral("payload of %1 bytes exceeds %2")
                          .arg(payload.size())
                          .arg(kMaxPayloadBytes));
    }

    QJsonParseError error;
    // fromRawData: no copy; the document does not outlive this call.
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromRawData(payload.data(), payload.size()), &error);
    if (error.error != QJsonParseError::NoError)
        return parseFailure(payload, error);
    if (!doc.isObject())
        return reject(RejectReason::NotAnObject, QStringLiteral("payload is not a JSON object"));
    const QJsonObject object = doc.object();

    if (kind == TopicKind::Control) {
        ControlOrigin origin;
        if (parsed.operators) {
            origin = ControlOrigin::operators();
        } else if (!parsed.user.isEmpty()) {
            origin = ControlOrigin::forUser(QString::fromUtf8(parsed.user));
            if (const auto problem = identifierProblem(origin.user, true))
                return reject(RejectReason::BadIdentifier,
                              QStringLiteral("user in topic ") + *problem);
        }
        return decodeControl(object, receiptNs, std::move(origin));
    }
    if (kind == TopicKind::GridIntensity)
        return decodeGridIntensity(object, parsed.zone, receiptNs);
    // parsed.host is empty for the shared topics greenpulse/raw/power and .../flow_temp.
    return decodeSample(kind, object, parsed.host, receiptNs);
}

} // namespace greenpulse::core
