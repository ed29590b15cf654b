#include "protocol/JobId.h"

#include "protocol/Messages.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <algorithm>

namespace greenpulse::core::jobid {

namespace {

constexpr int kSuffixLength = 6;
// Keeps make()'s ids well under kMaxIdLength, which the decoder enforces.
constexpr qsizetype kMaxNameLength = 200;

bool isNameChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
           u == '.' || u == '-';
}

bool isLowerHex(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f');
}

} // namespace

QString sanitizeName(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("job");
    QString result = name.left(kMaxNameLength);
    for (QChar &c : result) {
        if (!isNameChar(c))
            c = QLatin1Char('_');
    }
    return result;
}

QString make(const QString &name, qint64 unixSeconds, QRandomGenerator &random)
{
    const quint32 suffix = random.bounded(1u << 24);
    return sanitizeName(name) + QLatin1Char('_') + QString::number(unixSeconds) + QLatin1Char('_') +
           QStringLiteral("%1").arg(suffix, kSuffixLength, 16, QLatin1Char('0'));
}

QString make(const QString &name)
{
    return make(name, QDateTime::currentSecsSinceEpoch(), *QRandomGenerator::system());
}

bool split(const QString &id, QString *name, qint64 *unixSeconds, QString *suffix)
{
    if (id.size() > kMaxIdLength)
        return false;
    // <name>_<digits>_<6 hex>: parse from the right, the name may contain underscores.
    const qsizetype suffixSep = id.size() - kSuffixLength - 1;
    if (suffixSep < 3 || id.at(suffixSep) != QLatin1Char('_'))
        return false;
    for (qsizetype i = suffixSep + 1; i < id.size(); ++i) {
        if (!isLowerHex(id.at(i)))
            return false;
    }
    const qsizetype secondsSep = id.lastIndexOf(QLatin1Char('_'), suffixSep - 1);
    if (secondsSep < 1 || secondsSep + 1 == suffixSep || suffixSep - secondsSep - 1 > 18)
        return false;
    qint64 seconds = 0;
    for (qsizetype i = secondsSep + 1; i < suffixSep; ++i) {
        const char16_t u = id.at(i).unicode();
        if (u < '0' || u > '9')
            return false;
        seconds = seconds * 10 + (u - '0');
    }
    for (qsizetype i = 0; i < secondsSep; ++i) {
        if (!isNameChar(id.at(i)))
            return false;
    }
    if (name)
        *name = id.left(secondsSep);
    if (unixSeconds)
        *unixSeconds = seconds;
    if (suffix)
        *suffix = id.mid(suffixSep + 1);
    return true;
}

bool isWellFormed(const QString &id)
{
    return split(id, nullptr, nullptr, nullptr);
}

QString slurm(const QString &cluster, const QString &slurmJobId)
{
    return cluster.isEmpty() ? QStringLiteral("slurm-") + slurmJobId
                             : QStringLiteral("slurm-%1-%2").arg(cluster, slurmJobId);
}

bool splitSlurm(const QString &id, QString *cluster, QString *slurmJobId)
{
    if (!id.startsWith(QLatin1String("slurm-"))) {
        return false;
    }
    const QString rest = id.mid(6);
    const qsizetype dash = rest.lastIndexOf(QLatin1Char('-'));
    const QString number = rest.mid(dash + 1);
    if (number.isEmpty() || dash == 0 || !std::all_of(number.cbegin(), number.cend(), [](QChar c) {
            return c.isDigit() || c == QLatin1Char('_') || c == QLatin1Char('+');
        })) {
        return false;
    }
    if (cluster) {
        *cluster = dash < 0 ? QString() : rest.left(dash);
    }
    if (slurmJobId) {
        *slurmJobId = number;
    }
    return true;
}

} // namespace greenpulse::core::jobid
