// What a block holds; recorded in the arena for tools and statistics, never part of the score. A catalog record (3)
// is the one type that means something: `timetravel catalog rebuild` trusts only blocks stored with it.
namespace TimeTravel.Store.Arenas;

public enum BlockType : byte { Data = 0, Pointer = 1, Directory = 2, CatalogRecord = 3 }
