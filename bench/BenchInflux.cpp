#include "BenchInflux.h"

#include <QJsonArray>

namespace greenpulse::bench {

bool BenchInflux::start(QString *error)
{
    if (!m_server.start()) {
        *error = m_server.lastError();
        return false;
    }
    return true;
}

bool BenchInflux::createDatabase(const QString &name)
{
    return !m_server.query(QStringLiteral("CREATE DATABASE \"%1\"").arg(name), {}, {}).isEmpty();
}

qint64 BenchInflux::countPoints(const QString &db, const QString &measurement, const QString &field)
{
    const QJsonObject answer = m_server.query(
        QStringLiteral("SELECT count(\"%1\") FROM \"%2\"").arg(field, measurement), db, {});
    if (answer.isEmpty()) {
        return -1;
    }
    const QJsonArray values =
        answer[QLatin1String("results")][0][QLatin1String("series")][0][QLatin1String("values")]
            .toArray();
    if (values.isEmpty()) {
        return 0;
    }
    return static_cast<qint64>(values.at(0).toArray().at(1).toDouble());
}

} // namespace greenpulse::bench
