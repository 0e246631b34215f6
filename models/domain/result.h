#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace hp {

// Exit codes of holdpointctl (DESIGN §8). Every recoverable failure in the core
// carries one, so the CLI maps errors to exits without guessing.
enum class ExitCode : int {
    Ok = 0,
    Internal = 1,
    Usage = 2,          // usage error or invalid input
    Rejected = 3,
    ExpiredOrWithdrawn = 4,
    TimedOut = 5,       // still pending
    NotFound = 6,
    Mismatch = 7,       // hash, metadata or idempotency mismatch
    Denied = 8,         // denied by role or policy
    StoreProblem = 9,   // store problem or verification failure
};

// A failure meant for people: what was wrong and where. `reason` is a short
// machine code (also the audit reason code for denials, e.g. "missing_role").
struct Error
{
    ExitCode code = ExitCode::Internal;
    QString reason;
    QString message;
    QString path; // JSON path, file:line:column, or empty
};

inline Error makeError(ExitCode code, QString reason, QString message, QString path = {})
{
    return Error{code, std::move(reason), std::move(message), std::move(path)};
}

// Result<T>: a value or an Error. Never throws across Qt boundaries.
template<class T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<0>(m_v); }
    const T &value() const { return std::get<0>(m_v); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace hp
