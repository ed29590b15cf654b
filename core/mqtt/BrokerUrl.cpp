#include "mqtt/BrokerUrl.h"

#include "base/SecurityChecks.h"

namespace greenpulse::core {

bool parseMqttBrokerUrl(const QString &url, bool tls, MqttBrokerAddress *out, QString *error)
{
    QString rest = url.trimmed();
    const int sep = rest.indexOf(QLatin1String("://"));
    if (sep >= 0) {
        const QString scheme = rest.left(sep).toLower();
        if (scheme == QLatin1String("ssl") || scheme == QLatin1String("mqtts")) {
            tls = true;
        } else if (scheme != QLatin1String("tcp") && scheme != QLatin1String("mqtt")) {
            *error = QStringLiteral("unsupported broker URL scheme '%1' in '%2'")
                         .arg(scheme, redactUrl(url));
            return false;
        }
        rest = rest.mid(sep + 3);
    }
    if (rest.endsWith(QLatin1Char('/'))) {
        rest.chop(1);
    }
    QString host = rest;
    QString portText;
    if (rest.startsWith(QLatin1Char('['))) {
        const int close = rest.indexOf(QLatin1Char(']'));
        const QString after = close < 0 ? QString() : rest.mid(close + 1);
        if (close < 0 || (!after.isEmpty() && !after.startsWith(QLatin1Char(':')))) {
            *error = QStringLiteral("invalid broker URL '%1'").arg(redactUrl(url));
            return false;
        }
        host = rest.mid(1, close - 1);
        portText = after.mid(1);
        if (after.startsWith(QLatin1Char(':')) && portText.isEmpty()) {
            portText = QStringLiteral("x"); // "[::1]:" is invalid
        }
    } else if (const int colon = rest.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        host = rest.left(colon);
        portText = colon + 1 < rest.size() ? rest.mid(colon + 1) : QStringLiteral("x");
    }
    // A bracketed IPv6 address may contain ':'; nothing may contain a path, user or spaces.
    const QString forbidden = rest.startsWith(QLatin1Char('[')) ? QStringLiteral("/@ \t?#[]")
                                                                : QStringLiteral("/@ \t?#[]:");
    bool bad = host.isEmpty();
    for (const QChar c : forbidden) {
        bad = bad || host.contains(c);
    }
    int port = tls ? 8883 : 1883;
    if (!portText.isEmpty()) {
        bool ok = false;
        port = portText.toInt(&ok);
        bad = bad || !ok || port < 1 || port > 65535;
    }
    if (bad) {
        *error = QStringLiteral("invalid broker URL '%1'").arg(redactUrl(url));
        return false;
    }
    out->host = host.toUtf8();
    out->port = port;
    out->tls = tls;
    return true;
}

} // namespace greenpulse::core
