// A retention rule that cannot be read (a count or a --keep-within duration): the message names the flag and value.
namespace TimeTravel.Store.Retention;

public sealed class RetentionPolicyException(string message) : StoreException(message);
