#include "base/SecurityChecks.h"

#include <QFile>
#include <QFileInfo>

namespace greenpulse::core {

namespace {
constexpr qint64 kPemProbeBytes = 1024 * 1024; // a CA bundle is well under this
} // namespace

QString redactUrl(const QString &url)
{
    const qsizetype scheme = url.indexOf(QLatin1String("://"));
    const qsizetype start = scheme < 0 ? 0 : scheme + 3;
    // The last '@', not the first one before a '/': a password may contain '/' or '@' (a
    // path with '@' and ':' gets masked too: better too much than a leaked password).
    const qsizetype at = url.lastIndexOf(QLatin1Char('@'));
    if (at < start) {
        return url;
    }
    const qsizetype colon = url.indexOf(QLatin1Char(':'), start);
    if (colon < 0 || colon > at) {
        return url; // a user name without a password
    }
    return url.left(colon + 1) + QStringLiteral("***") + url.mid(at);
}

std::optional<QString> pemFileProblem(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        return QStringLiteral("%1 does not exist").arg(path);
    }
    if (!info.isFile()) {
        return QStringLiteral("%1 is not a file").arg(path);
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return QStringLiteral("%1 cannot be read: %2").arg(path, file.errorString());
    }
    if (!file.read(kPemProbeBytes).contains("-----BEGIN")) {
        return QStringLiteral("%1 is not a PEM file (no -----BEGIN line)").arg(path);
    }
    return std::nullopt;
}

} // namespace greenpulse::core
