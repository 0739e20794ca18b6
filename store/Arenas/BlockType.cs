// What a block holds; recorded in the arena for tools and statistics, never part of the score.
namespace TimeTravel.Store.Arenas;

public enum BlockType : byte { Data = 0, Pointer = 1, Directory = 2 }
