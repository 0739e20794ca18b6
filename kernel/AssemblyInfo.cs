// Lets the tests reach the pure internals (event parsing, record codec) without making them public API.
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("TimeTravel.Tests")]
