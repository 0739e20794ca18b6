// The writer lock is held by another process: a caller that can wait (the apt hook) tries again, others report it.
namespace TimeTravel.Store;

public sealed class StoreLockedException(string message) : StoreException(message);
