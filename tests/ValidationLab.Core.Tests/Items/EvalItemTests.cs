using ValidationLab.Items;

namespace ValidationLab.Core.Tests.Items;

/// <summary>A suite's typed item: the typed and the untyped payload are one value, whichever way it is changed.</summary>
public sealed class EvalItemTests
{
    private sealed record Question(string Text);

    [Fact]
    public void Should_Read_The_Payload_Typed_And_Untyped_Alike()
    {
        // Given
        var item = new EvalItem<Question> { Id = "q1", Input = "?", Payload = new Question("a") };

        // Then
        Assert.Equal("a", item.Payload.Text);
        Assert.Same(item.Payload, ((EvalItem)item).Payload);
    }

    [Fact]
    public void Should_Keep_Both_Views_Together_When_Changed_Through_The_Untyped_Item()
    {
        // Given an item seen as the pipeline sees it
        EvalItem item = new EvalItem<Question> { Id = "q1", Input = "?", Payload = new Question("a") };

        // When a copy changes the untyped payload
        var changed = item with { Payload = new Question("b") };

        // Then the copy is still typed and reads the new payload
        Assert.Equal("b", Assert.IsType<EvalItem<Question>>(changed).Payload.Text);
        Assert.Equal("a", ((EvalItem<Question>)item).Payload.Text);
    }

    [Fact]
    public void Should_Name_The_Item_When_Its_Payload_Is_Of_Another_Type()
    {
        EvalItem item = new EvalItem<Question> { Id = "q1", Input = "?", Payload = new Question("a") };
        var wrong = (EvalItem<Question>)(item with { Payload = 42 });
        var ex = Assert.Throws<InvalidOperationException>(() => wrong.Payload);
        Assert.Contains("item 'q1' holds a Int32", ex.Message, StringComparison.Ordinal);
    }
}
