#pragma once

#include <QSslConfiguration>
#include <QString>

namespace greenpulse::test {

// A CA (ca.crt, ca.key) and a certificate for 127.0.0.1 signed by it (server.crt, server.key),
// made with openssl in `dir`. Returns an empty string, or what failed.
QString makeCertificates(const QString &dir);

// Sets the process-wide default TLS configuration (what new sockets and QNetworkRequests use)
// for a test, e.g. one that trusts the CA above; the previous one comes back when it goes.
class DefaultTls
{
public:
    explicit DefaultTls(const QSslConfiguration &config)
        : m_saved(QSslConfiguration::defaultConfiguration())
    {
        QSslConfiguration::setDefaultConfiguration(config);
    }
    ~DefaultTls() { QSslConfiguration::setDefaultConfiguration(m_saved); }
    DefaultTls(const DefaultTls &) = delete;
    DefaultTls &operator=(const DefaultTls &) = delete;

private:
    QSslConfiguration m_saved;
};

} // namespace greenpulse::test
