// One large file up as a multipart upload: initiate, parts of PartSize sent ParallelParts at a time (each read by
// the SDK straight from the file at its offset), complete with the parts' ETags in order. On any failure the upload
// is aborted, so no half-uploaded parts linger in the bucket (and cost space) and the object is left as it was.
using Amazon.S3.Model;
using TimeTravel.Store.Objects;

namespace TimeTravel.Remote.S3;

internal sealed class S3MultipartUpload(S3ObjectStore store, string key, string objectKey, string path, long size)
{
    public void Run()
    {
        string bucket = store.Address.Bucket;
        store.Requests.CountPut();
        string uploadId = store.Run("start a multipart upload of", key, 0, async ct =>
            (await store.Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = objectKey }, ct)).UploadId);
        try
        {
            int parts = (int)((size + store.PartSize - 1) / store.PartSize);
            var etags = new PartETag[parts];
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = store.ParallelParts }, i =>
            {
                long position = i * store.PartSize, length = Math.Min(store.PartSize, size - position);
                store.Requests.CountPut();
                etags[i] = store.Run($"upload part {i + 1} of {parts} of", key, length, async ct =>
                {
                    var response = await store.Client.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = bucket, Key = objectKey, UploadId = uploadId, PartNumber = i + 1,
                        FilePath = path, FilePosition = position, PartSize = length, IsLastPart = i == parts - 1,
                    }, ct);
                    return new PartETag(i + 1, response.ETag);
                });
            });
            store.Requests.CountPut();
            store.Run("complete the multipart upload of", key, 0, ct => store.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = objectKey, UploadId = uploadId, PartETags = [.. etags],
            }, ct));
        }
        catch (Exception failure)
        {
            try
            {
                store.Requests.CountDelete();
                store.Run("abort the multipart upload of", key, 0, ct => store.Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
                {
                    BucketName = bucket, Key = objectKey, UploadId = uploadId,
                }, ct));
            }
            catch (ObjectStoreException) { } // the endpoint is gone; the bucket's lifecycle rules or gc clean up
            if (failure is AggregateException many && many.InnerExceptions.OfType<ObjectStoreException>().FirstOrDefault() is { } first) throw first;
            throw;
        }
    }
}
