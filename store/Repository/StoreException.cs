// An error in using a store that the user can act on (missing store, lock held, unknown snapshot).
namespace TimeTravel.Store;

public class StoreException(string message, Exception? inner = null) : Exception(message, inner);
